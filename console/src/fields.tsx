/** What `TextField` takes: the input's id, its visible label, its value and how it changes. */
export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  readOnly?: boolean;
  required?: boolean;
  /** `number` for a number field (with `min` and `max`); a text field otherwise */
  type?: 'number';
  min?: number;
  max?: number;
}

/**
 * A labelled input (label above, `for` its id), the shape every editor's fields share, so that people
 * using assistive technology (and tests) find each field by its label.
 *
 * Example: `<TextField id="name" label="Name" value={name} onValue={setName} required />`
 */
export function TextField(props: TextFieldProps) {
  const { id, label, value, onValue, readOnly, required, type, min, max } = props;
  const onInput = (e: { currentTarget: HTMLInputElement }): void => onValue(e.currentTarget.value);
  return (
    <>
      <label for={id}>{label}</label>
      {type === 'number' ? (
        <input
          id={id}
          type="number"
          min={min}
          max={max}
          value={value}
          readOnly={readOnly}
          required={required}
          onInput={onInput}
        />
      ) : (
        <input id={id} value={value} readOnly={readOnly} required={required} onInput={onInput} />
      )}
    </>
  );
}
