import type { ComponentChildren } from 'preact';

/** The id of a field's error line. Example: `errorId('settings.url')` -> `'settings-url-error'` */
export function errorId(id: string): string {
  return `${id.replace(/[^a-zA-Z0-9_-]/g, '-')}-error`;
}

/** A field's errors, under it (the field's `aria-describedby` names this line). */
export function ErrorText({ id, messages }: { id: string; messages?: string[] }) {
  return (
    <p id={errorId(id)} class="error field-error" role="alert">
      {(messages ?? []).join('; ')}
    </p>
  );
}

/** What `Field` takes: the control's id, its visible label, a hint and the API's errors for it. */
export interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  messages?: string[];
  /** the control: an input, select or textarea with `id` and `describedBy(id, ...)` */
  children: ComponentChildren;
}

/** The `aria-describedby` of a field's control: its hint (when there is one) and its error line. */
export function describedBy(id: string, hint?: string): string {
  return hint === undefined ? errorId(id) : `${id}-hint ${errorId(id)}`;
}

/**
 * A labelled control with its hint and its error line under it, so the API's message for the field is
 * read out with the field and shown where it is to be fixed.
 *
 * Example: `<Field id="name" label="Name" messages={errors.byField.name}><input id="name" ... /></Field>`
 */
export function Field({ id, label, hint, messages, children }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <ErrorText id={id} messages={messages} />
    </div>
  );
}

/** What `InputField` takes. */
export interface InputFieldProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  messages?: string[];
  readOnly?: boolean;
  required?: boolean;
  type?: 'number' | 'password' | 'datetime-local';
}

/**
 * A labelled input with its hint and errors. Numbers are checked by the API, not the browser (no min or
 * max), so its message is the one shown.
 *
 * Example: `<InputField id="code" label="Code" value={code} onValue={setCode} messages={e.byField.code} />`
 */
export function InputField(props: InputFieldProps) {
  const { id, label, value, onValue, hint, messages, readOnly, required, type } = props;
  const common = {
    id,
    value,
    readOnly,
    required,
    'aria-invalid': messages !== undefined && messages.length > 0,
    'aria-describedby': describedBy(id, hint),
    onInput: (e: { currentTarget: HTMLInputElement }) => onValue(e.currentTarget.value),
  };
  return (
    <Field id={id} label={label} hint={hint} messages={messages}>
      {type === 'password' ? (
        <input type="password" autocomplete="off" {...common} />
      ) : type === 'number' ? (
        <input type="number" {...common} />
      ) : type === 'datetime-local' ? (
        <input type="datetime-local" {...common} />
      ) : (
        <input {...common} />
      )}
    </Field>
  );
}

/** What `SelectField` takes: the options as value and text. */
export interface SelectFieldProps {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onValue: (value: string) => void;
  hint?: string;
  messages?: string[];
  disabled?: boolean;
}

/**
 * A labelled select with its hint and errors.
 *
 * Example: `<SelectField id="format" label="Format" value={f} options={[['csv', 'CSV']]} onValue={setF} />`
 */
export function SelectField(props: SelectFieldProps) {
  const { id, label, value, options, onValue, hint, messages, disabled } = props;
  return (
    <Field id={id} label={label} hint={hint} messages={messages}>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={describedBy(id, hint)}
        onChange={(e) => onValue(e.currentTarget.value)}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * A form's last line: its submit button (`label`, off while `busy`), "Cancel", and the API's messages of
 * no field, said under the form.
 *
 * Example: `<SaveOrCancel label="Create campaign" onCancel={close} messages={errors.rest} />`
 */
export function SaveOrCancel(props: {
  label: string;
  busy?: boolean;
  onCancel: () => void;
  messages: readonly string[];
}) {
  return (
    <>
      <button type="submit" disabled={props.busy === true}>
        {props.label}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <p role="alert" class="status">
        {props.messages.join(' ')}
      </p>
    </>
  );
}
