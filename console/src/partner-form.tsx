import { useState } from 'preact/hooks';
import { ApiError, call, messageOf } from './api.ts';
import type { Partner, PartnerField } from './partner-data.ts';
import { PARTNER_FIELDS, errorsByField } from './partner-data.ts';

/** The form as it opens, and again after a partner is added: the API's defaults in the lifetimes. */
const EMPTY: Record<PartnerField, string> = {
  code: '',
  name: '',
  syncUrl: '',
  vendorId: '',
  resyncDays: '14',
  idLifetimeDays: '90',
};

/** The errors under one field, which the field names with `aria-describedby`. */
function FieldErrors({ id, messages }: { id: string; messages: string[] | undefined }) {
  return (
    <ul id={id} class="error">
      {(messages ?? []).map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * The form that adds an ID-sync partner (`POST /v1/partners`): code, name, sync URL (with its macros),
 * sync type, vendor ID and the two lifetimes. The API checks the partner whole; each error it gives is
 * shown under its field.
 */
export function PartnerForm({ onAdded }: { onAdded: (partner: Partner) => void }) {
  const [values, setValues] = useState<Record<PartnerField, string>>(EMPTY);
  const [type, setType] = useState<Partner['type']>('redirect');
  const [errors, setErrors] = useState<{ byField: Record<string, string[]>; other: string[] }>({
    byField: {},
    other: [],
  });
  const [status, setStatus] = useState('');

  const add = async (event: Event) => {
    event.preventDefault();
    setStatus('');
    setErrors({ byField: {}, other: [] });
    // a number as a number; anything else as typed, for the API to name the field and say what it takes
    const numeric = (v: string) =>
      v.trim() === '' ? undefined : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
    const body = {
      code: values.code.trim(),
      name: values.name,
      syncUrl: values.syncUrl.trim(),
      type,
      vendorId: numeric(values.vendorId),
      resyncDays: numeric(values.resyncDays),
      idLifetimeDays: numeric(values.idLifetimeDays),
    };
    try {
      const partner = await call<Partner>('POST', '/v1/partners', body);
      setStatus(`Added partner ${partner.code}.`);
      setValues(EMPTY);
      onAdded(partner);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length > 0) {
        setErrors(errorsByField(e.errors));
        setStatus('The partner was not added: see the errors under the fields.');
      } else setStatus(`The partner was not added: ${messageOf(e)}`);
    }
  };

  const input = (field: PartnerField) => {
    const id = `partner-${field}`;
    const bad = (errors.byField[field]?.length ?? 0) > 0;
    const number = field === 'vendorId' || field === 'resyncDays' || field === 'idLifetimeDays';
    return (
      <div key={field}>
        <label for={id}>{PARTNER_FIELDS.find((f) => f.field === field)?.label}</label>
        <input
          id={id}
          inputMode={number ? 'numeric' : undefined}
          value={values[field]}
          required={field === 'code' || field === 'name' || field === 'syncUrl'}
          aria-invalid={bad}
          aria-describedby={`${id}-errors`}
          onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
        />
        <FieldErrors id={`${id}-errors`} messages={errors.byField[field]} />
      </div>
    );
  };

  return (
    <form onSubmit={(e) => void add(e)} aria-labelledby="partner-form-heading" noValidate>
      <h2 id="partner-form-heading">Add a partner</h2>
      {input('code')}
      {input('name')}
      {input('syncUrl')}
      <label for="partner-type">Sync type</label>
      <select
        id="partner-type"
        value={type}
        aria-describedby="partner-type-errors"
        onChange={(e) => setType(e.currentTarget.value as Partner['type'])}
      >
        <option value="redirect">redirect (loaded as an image)</option>
        <option value="iframe">iframe</option>
      </select>
      <FieldErrors id="partner-type-errors" messages={errors.byField.type} />
      {input('vendorId')}
      {input('resyncDays')}
      {input('idLifetimeDays')}
      <button type="submit">Add partner</button>
      {errors.other.length > 0 && (
        <ul role="alert" class="error">
          {errors.other.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {status !== '' && <p role="status">{status}</p>}
    </form>
  );
}
