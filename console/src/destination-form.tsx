import { useLayoutEffect, useState } from 'preact/hooks';
import type { Destination } from './api.ts';
import { call } from './api.ts';
import type { DestinationDraft } from './destination-draft.ts';
import { DESTINATION_KINDS, bodyOf, draftOf } from './destination-draft.ts';
import { KindSettings } from './destination-settings.tsx';
import type { FormErrors } from './form-errors.ts';
import { NO_ERRORS } from './form-errors.ts';
import { ErrorText, Field, InputField, SaveOrCancel, SelectField, describedBy } from './form-fields.tsx';
import { saveResource } from './save-resource.ts';

/** The API's fields the form shows errors under (the longest that an error's field starts with wins). */
const FIELDS = (
  'code name kind idType segments segtax consent.vendorId consent.purposes consent restrictions ' +
  'rateLimitPerSecond schedule settings settings.key settings.maxValuesPerKey settings.template settings.url ' +
  'settings.batchSize settings.authorization settings.headers settings.format settings.mode settings.columns'
).split(' ');

const SEGMENTS_HINT =
  'One a line: our segment code = the ID the destination knows it by (london_pricing = 607).';

/**
 * Creates a destination (`POST /v1/destinations`) or, given `existing`, replaces it
 * (`PUT /v1/destinations/{code}`; the code and kind stay): the common fields, then the kind's own
 * settings. The API checks the whole destination; each error it names is shown under its field.
 *
 * Example: `<DestinationForm existing={d} onSaved={(d) => show(d)} onCancel={() => close()} />`
 */
export function DestinationForm({
  existing,
  onSaved,
  onCancel,
}: {
  existing?: Destination;
  onSaved: (d: Destination) => void;
  onCancel: () => void;
}) {
  // a keyboard or screen reader user is taken to the form that just opened
  // before the browser paints: the heading never shows without the focus
  useLayoutEffect(() => document.getElementById('destination-form-heading')?.focus(), []);
  const [draft, setDraft] = useState<DestinationDraft>(() => draftOf(existing));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<DestinationDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const e = errors.byField;

  const save = async (event: Event) => {
    event.preventDefault();
    const { body, errors: found } = bodyOf(draft);
    if (Object.keys(found).length > 0) {
      setErrors({ byField: found, rest: ['Not sent: see the errors under the fields.'] });
      return;
    }
    setErrors(NO_ERRORS);
    setBusy(true);
    const result = await saveResource(
      () =>
        existing === undefined
          ? call<Destination>('POST', '/v1/destinations', body)
          : call<Destination>('PUT', `/v1/destinations/${encodeURIComponent(existing.code)}`, body),
      FIELDS,
    );
    setBusy(false);
    if ('saved' in result) onSaved(result.saved);
    else setErrors(result.errors);
  };

  return (
    <form
      class="destination-form"
      aria-labelledby="destination-form-heading"
      onSubmit={(ev) => void save(ev)}
    >
      <h2 id="destination-form-heading" tabIndex={-1}>
        {existing === undefined ? 'New destination' : `Edit destination ${existing.code}`}
      </h2>
      <InputField
        id="code"
        label="Code"
        value={draft.code}
        onValue={(code) => set({ code })}
        readOnly={existing !== undefined}
        required
        messages={e['code']}
        hint="a-z, 0-9, _ and -; it cannot change later."
      />
      <InputField
        id="name"
        label="Name"
        value={draft.name}
        onValue={(name) => set({ name })}
        required
        messages={e['name']}
      />
      <SelectField
        id="kind"
        label="Kind"
        value={draft.kind}
        options={DESTINATION_KINDS}
        onValue={(kind) => set({ kind })}
        disabled={existing !== undefined}
        messages={e['kind']}
      />
      <InputField
        id="idType"
        label="ID type"
        value={draft.idType}
        onValue={(idType) => set({ idType })}
        hint="uid (our ID), maid (mobile ad ID) or partner:NAME."
        messages={e['idType']}
      />
      <Field id="segments" label="Segments sent" hint={SEGMENTS_HINT} messages={e['segments']}>
        <textarea
          id="segments"
          rows={3}
          spellcheck={false}
          value={draft.segments}
          aria-describedby={describedBy('segments', SEGMENTS_HINT)}
          onInput={(ev) => set({ segments: ev.currentTarget.value })}
        />
      </Field>
      <fieldset>
        <legend>Consent and export controls</legend>
        <InputField
          id="consent-vendorId"
          label="Consent vendor ID (IAB GVL)"
          type="number"
          value={draft.vendorId}
          onValue={(vendorId) => set({ vendorId })}
          messages={e['consent.vendorId']}
        />
        <InputField
          id="consent-purposes"
          label="Consent purposes (TCF)"
          hint="Numbers 1 to 11, e.g. 1, 3, 4."
          value={draft.purposes}
          onValue={(purposes) => set({ purposes })}
          messages={e['consent.purposes']}
        />
        <InputField
          id="restrictions"
          label="Data labels it may not take"
          hint="Comma separated, e.g. no-modeling."
          value={draft.restrictions}
          onValue={(restrictions) => set({ restrictions })}
          messages={e['restrictions']}
        />
        <InputField
          id="segtax"
          label="Segment taxonomy (segtax)"
          type="number"
          hint="4: the IDs are IAB Audience Taxonomy 1.1 IDs. Empty: the destination's own."
          value={draft.segtax}
          onValue={(segtax) => set({ segtax })}
          messages={e['segtax']}
        />
        <InputField
          id="rateLimitPerSecond"
          label="Requests per second at most"
          type="number"
          value={draft.rateLimit}
          onValue={(rateLimit) => set({ rateLimit })}
          messages={e['rateLimitPerSecond']}
        />
        {(draft.kind === 'file' || draft.kind === 'http') && (
          <InputField
            id="schedule"
            label="Run every (minutes)"
            type="number"
            hint="Empty: only when run."
            value={draft.everyMinutes}
            onValue={(everyMinutes) => set({ everyMinutes })}
            messages={e['schedule']}
          />
        )}
        <ErrorText id="consent" messages={e['consent']} />
      </fieldset>
      <KindSettings draft={draft} set={set} errors={errors} />
      <SaveOrCancel
        label={existing === undefined ? 'Create destination' : 'Save destination'}
        busy={busy}
        onCancel={onCancel}
        messages={errors.rest}
      />
    </form>
  );
}
