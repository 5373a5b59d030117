import type { DestinationDraft } from './destination-draft.ts';
import { USES } from './destination-draft.ts';
import { ExportColumns } from './export-columns.tsx';
import type { FormErrors } from './form-errors.ts';
import { ErrorText, Field, InputField, SelectField, describedBy } from './form-fields.tsx';

/** The hint under the http headers: a JSON object of names and values. */
const HEADERS_HINT =
  'A JSON object of header names and values, e.g. {"X-Account": "42"}. Values show as ***.';

/** What `KindSettings` takes: the draft, how to change it, and the API's errors by field. */
export interface KindSettingsProps {
  draft: DestinationDraft;
  set: (patch: Partial<DestinationDraft>) => void;
  errors: FormErrors;
}

/**
 * The settings of the draft's kind, each a labelled field under which the API's error for
 * `settings.FIELD` is shown: the key and its value limit (gam), the URL template (url), the URL, batch
 * size, authorization and headers (http), the format, mode, rows per file and columns (file); and, for
 * every kind, what the destination does with the data (the export controls' flags).
 *
 * Example: `<KindSettings draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={errors} />`
 */
export function KindSettings({ draft: d, set, errors }: KindSettingsProps) {
  const e = errors.byField;
  return (
    <fieldset>
      <legend>Settings of the {d.kind} destination</legend>
      {d.kind === 'gam' && (
        <>
          <InputField
            id="settings-key"
            label="Targeting key"
            value={d.key}
            onValue={(key) => set({ key })}
            messages={e['settings.key']}
          />
          <InputField
            id="settings-maxValuesPerKey"
            label="Values per key at most"
            type="number"
            hint="Empty: 50."
            value={d.maxValuesPerKey}
            onValue={(maxValuesPerKey) => set({ maxValuesPerKey })}
            messages={e['settings.maxValuesPerKey']}
          />
        </>
      )}
      {d.kind === 'url' && (
        <InputField
          id="settings-template"
          label="Pixel URL template"
          hint="An http or https URL; ${UID} stands for the visitor's ID."
          value={d.template}
          onValue={(template) => set({ template })}
          messages={e['settings.template']}
        />
      )}
      {d.kind === 'http' && (
        <>
          <InputField
            id="settings-url"
            label="Partner URL"
            value={d.url}
            onValue={(url) => set({ url })}
            messages={e['settings.url']}
          />
          <InputField
            id="settings-batchSize"
            label="Members per batch"
            type="number"
            hint="Empty: 1,000."
            value={d.batchSize}
            onValue={(batchSize) => set({ batchSize })}
            messages={e['settings.batchSize']}
          />
          <InputField
            id="settings-authorization"
            label="Authorization header"
            type="password"
            hint="Sent as the Authorization header, e.g. Bearer TOKEN. The API never shows it back (***)."
            value={d.authorization}
            onValue={(authorization) => set({ authorization })}
            messages={e['settings.authorization']}
          />
          <Field
            id="settings-headers"
            label="More headers (JSON)"
            hint={HEADERS_HINT}
            messages={e['settings.headers']}
          >
            <textarea
              id="settings-headers"
              rows={2}
              spellcheck={false}
              value={d.headers}
              aria-describedby={describedBy('settings-headers', HEADERS_HINT)}
              onInput={(ev) => set({ headers: ev.currentTarget.value })}
            />
          </Field>
        </>
      )}
      {d.kind === 'file' && (
        <>
          <SelectField
            id="settings-format"
            label="Format"
            value={d.format}
            options={[
              ['csv', 'CSV'],
              ['ndjson', 'NDJSON'],
            ]}
            onValue={(format) => set({ format })}
            messages={e['settings.format']}
          />
          <SelectField
            id="settings-mode"
            label="Mode"
            value={d.mode}
            options={[
              ['full', 'full: every member each time'],
              ['delta', 'delta: the members added and removed'],
            ]}
            onValue={(mode) => set({ mode })}
            messages={e['settings.mode']}
          />
          <InputField
            id="settings-batchSize"
            label="Rows per file"
            type="number"
            hint="Empty: 1,000,000."
            value={d.batchSize}
            onValue={(batchSize) => set({ batchSize })}
            messages={e['settings.batchSize']}
          />
          <ExportColumns
            columns={d.columns}
            onColumns={(columns) => set({ columns })}
            messages={e['settings.columns']}
          />
        </>
      )}
      <fieldset class="uses">
        <legend>What the destination does with the data</legend>
        {USES.map(([use, words]) => (
          <label key={use} class="check">
            <input
              type="checkbox"
              checked={d.uses[use] === true}
              onChange={(ev) =>
                set({
                  uses: {
                    ...d.uses,
                    [use]: ev.currentTarget.checked ? true : d.uses[use] === undefined ? undefined : false,
                  },
                })
              }
            />{' '}
            {words}
          </label>
        ))}
      </fieldset>
      <ErrorText id="settings" messages={e['settings']} />
    </fieldset>
  );
}
