import { useLayoutEffect, useState } from 'preact/hooks';
import type { Destination, Segment } from './api.ts';
import { call } from './api.ts';
import type { Campaign } from './campaign-api.ts';
import type { FormErrors } from './form-errors.ts';
import { NO_ERRORS } from './form-errors.ts';
import { ErrorText, InputField, SaveOrCancel, describedBy } from './form-fields.tsx';
import { useLoad } from './pages.tsx';
import { saveResource } from './save-resource.ts';

const FIELDS = ['code', 'name', 'description', 'segments', 'destinations', 'start', 'end'] as const;

/**
 * An ISO date-time as a `datetime-local` value in the browser's time zone, and back (with the zone, as
 * the API wants it). Example: `toLocalInput('2026-12-01T00:00:00Z')` -> `'2026-12-01T00:00'` in UTC.
 */
export function toLocalInput(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

/** Example: `fromLocalInput('2026-12-01T00:00')` -> `'2026-12-01T00:00:00.000Z'` in UTC; `''` stays `''`. */
export function fromLocalInput(value: string): string {
  const t = new Date(value);
  return value === '' || Number.isNaN(t.getTime()) ? value : t.toISOString();
}

/** A fieldset of checkboxes, one per code, with the API's errors for the list under it. */
function CodeChecks(props: {
  id: string;
  legend: string;
  hint: string;
  items: { code: string; text: string }[];
  chosen: string[];
  onChosen: (codes: string[]) => void;
  messages?: string[];
}) {
  const { id, legend, hint, items, chosen, onChosen, messages } = props;
  const toggle = (code: string, on: boolean) =>
    onChosen(on ? [...chosen, code] : chosen.filter((c) => c !== code));
  return (
    <fieldset id={id} aria-describedby={describedBy(id, hint)}>
      <legend>{legend}</legend>
      {items.length === 0 && <p>None in this tenant yet.</p>}
      {items.map((item) => (
        <label key={item.code} class="check">
          <input
            type="checkbox"
            checked={chosen.includes(item.code)}
            onChange={(e) => toggle(item.code, e.currentTarget.checked)}
          />{' '}
          {item.text}
        </label>
      ))}
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
      <ErrorText id={id} messages={messages} />
    </fieldset>
  );
}

/**
 * Creates a campaign (`POST /v1/campaigns`) or, given `existing`, replaces it (`PUT /v1/campaigns/{code}`;
 * the code stays): name, description, the segments and destinations (checkboxes of the tenant's), and the
 * flight's start and end in the browser's time zone. Each error the API names is shown under its field.
 *
 * Example: `<CampaignForm onSaved={(c) => open(c.code)} onCancel={() => close()} />`
 */
export function CampaignForm(props: {
  existing?: Campaign;
  onSaved: (c: Campaign) => void;
  onCancel: () => void;
}) {
  const { existing, onSaved, onCancel } = props;
  const lists = useLoad(async () => ({
    segments: (await call<{ segments: Segment[] }>('GET', '/v1/segments')).segments,
    destinations: (await call<{ destinations: Destination[] }>('GET', '/v1/destinations')).destinations,
  }));
  // a keyboard or screen reader user is taken to the form that just opened
  // before the browser paints: the heading never shows without the focus
  useLayoutEffect(() => document.getElementById('campaign-form-heading')?.focus(), []);
  const [code, setCode] = useState(existing?.code ?? '');
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [segments, setSegments] = useState<string[]>(existing?.segments ?? []);
  const [destinations, setDestinations] = useState<string[]>(existing?.destinations ?? []);
  const [start, setStart] = useState(existing === undefined ? '' : toLocalInput(existing.start));
  const [end, setEnd] = useState(existing === undefined ? '' : toLocalInput(existing.end));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const e = errors.byField;

  const save = async (event: Event) => {
    event.preventDefault();
    setErrors(NO_ERRORS);
    const body = {
      code,
      name,
      segments,
      destinations,
      start: fromLocalInput(start),
      end: fromLocalInput(end),
      ...(description === '' ? {} : { description }),
    };
    const result = await saveResource(
      () =>
        existing === undefined
          ? call<Campaign>('POST', '/v1/campaigns', body)
          : call<Campaign>('PUT', `/v1/campaigns/${encodeURIComponent(existing.code)}`, body),
      FIELDS,
    );
    if ('saved' in result) onSaved(result.saved);
    else setErrors(result.errors);
  };

  return (
    <form aria-labelledby="campaign-form-heading" onSubmit={(ev) => void save(ev)}>
      <h2 id="campaign-form-heading" tabIndex={-1}>
        {existing === undefined ? 'New campaign' : `Edit campaign ${existing.code}`}
      </h2>
      <InputField
        id="code"
        label="Code"
        value={code}
        onValue={setCode}
        readOnly={existing !== undefined}
        required
        messages={e['code']}
      />
      <InputField id="name" label="Name" value={name} onValue={setName} required messages={e['name']} />
      <InputField
        id="description"
        label="Description"
        value={description}
        onValue={setDescription}
        messages={e['description']}
      />
      {lists.error !== '' && <p role="alert">{lists.error}</p>}
      <CodeChecks
        id="segments"
        legend="Segments"
        hint="Each must be mapped in each destination chosen."
        items={(lists.data?.segments ?? []).map((s) => ({ code: s.code, text: `${s.code}: ${s.name}` }))}
        chosen={segments}
        onChosen={setSegments}
        messages={e['segments']}
      />
      <CodeChecks
        id="destinations"
        legend="Destinations"
        hint="Batch destinations (file, http) run with 'Run now'; the others deliver in real time."
        items={(lists.data?.destinations ?? []).map((d) => ({
          code: d.code,
          text: `${d.code}: ${d.name} (${d.kind})`,
        }))}
        chosen={destinations}
        onChosen={setDestinations}
        messages={e['destinations']}
      />
      <InputField
        id="start"
        label="Start (your time zone)"
        type="datetime-local"
        value={start}
        onValue={setStart}
        required
        messages={e['start']}
      />
      <InputField
        id="end"
        label="End (your time zone)"
        type="datetime-local"
        value={end}
        onValue={setEnd}
        required
        messages={e['end']}
      />
      <SaveOrCancel
        label={existing === undefined ? 'Create campaign' : 'Save campaign'}
        onCancel={onCancel}
        messages={errors.rest}
      />
    </form>
  );
}
