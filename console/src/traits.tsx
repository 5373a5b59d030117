import { useEffect, useState } from 'preact/hooks';
import type { Session, Trait } from './api.ts';
import { ApiError, EDITOR_ROLES, call, messageOf } from './api.ts';
import { TextField } from './fields.tsx';
import { useLoad } from './pages.tsx';
import { RuleField } from './rule-field.tsx';
import type { RuleErrors } from './rule-preview.tsx';
import { COMPUTE_ROLES, RulePreview, useRulePreview } from './rule-preview.tsx';
import { DataTable } from './data-table.tsx';

/** Whether a trait matches the search box: its code, name or folder contains the words, any case. */
export function matchesSearch(trait: Trait, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  return [trait.code, trait.name, trait.folder].some((field) => field.toLowerCase().includes(needle));
}

/** The tenant's traits, filtered as the search box is typed in, each linking to its editor. */
export function TraitList() {
  const { data, error } = useLoad(() => call<{ traits: Trait[] }>('GET', '/v1/traits'));
  const [search, setSearch] = useState('');
  const shown = (data?.traits ?? []).filter((t) => matchesSearch(t, search));
  return (
    <>
      <h1>Traits</h1>
      <p>
        <a href="#/traits/new">New trait</a>
      </p>
      <p>
        <label for="trait-search">Search</label>{' '}
        <input
          id="trait-search"
          type="search"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
      </p>
      {error !== '' && <p role="alert">{error}</p>}
      {data && shown.length === 0 && (
        <p>{data.traits.length === 0 ? 'No traits yet.' : 'No trait matches the search.'}</p>
      )}
      {shown.length > 0 && (
        <DataTable
          caption="The tenant's traits"
          columns={['Code', 'Name', 'Folder', 'Lifetime (days)', 'Kind', 'Source']}
        >
          {shown.map((t) => (
            <tr key={t.code}>
              <td>
                <a href={`#/traits/${encodeURIComponent(t.code)}`}>{t.code}</a>
              </td>
              <td>{t.name}</td>
              <td>{t.folder}</td>
              <td>{t.lifetimeDays}</td>
              <td>{t.kind}</td>
              <td>{t.source}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

/**
 * The trait editor: code, name, rule, lifetime and folder; "Save" creates the trait (`POST /v1/traits`) or
 * changes it (`PATCH /v1/traits/{code}`). The rule is coloured as it is typed and, for roles that may
 * compute, previewed against the tenant's recent events (`POST /v1/traits/preview`, debounced); a rule
 * the API refuses (`422`, from the preview or Save) has each error under the field, with its line,
 * column and the API's did-you-mean, and its token marked. Onboarded and third-party traits come from
 * files, not rules, so they are shown read-only.
 */
export function TraitEditor({ session, code: existing }: { session: Session; code?: string }) {
  const [code, setCode] = useState(existing ?? '');
  const [name, setName] = useState('');
  const [rule, setRule] = useState('');
  const [lifetime, setLifetime] = useState('120');
  const [folder, setFolder] = useState('');
  const [kind, setKind] = useState<Trait['kind']>('rule');
  const [saved, setSaved] = useState(existing !== undefined);
  const [ruleErrors, setRuleErrors] = useState<RuleErrors>({ text: '', list: [] });
  const [status, setStatus] = useState('');
  const canSave = EDITOR_ROLES.has(session.role);
  const readOnly = kind !== 'rule';
  const errors = ruleErrors.text === rule ? ruleErrors.list : [];
  const preview = useRulePreview(rule, !readOnly && COMPUTE_ROLES.has(session.role), setRuleErrors);

  useEffect(() => {
    if (existing === undefined) return;
    call<Trait>('GET', `/v1/traits/${encodeURIComponent(existing)}`)
      .then((t) => {
        setName(t.name);
        setRule(t.rule);
        setLifetime(String(t.lifetimeDays));
        setFolder(t.folder);
        setKind(t.kind);
      })
      .catch((e: unknown) => setStatus(messageOf(e)));
  }, [existing]);

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus('');
    const fields = { name, rule, lifetimeDays: Number(lifetime), folder };
    try {
      if (saved) await call('PATCH', `/v1/traits/${encodeURIComponent(code)}`, fields);
      else await call('POST', '/v1/traits', { code, ...fields });
      setSaved(true);
      setRuleErrors({ text: rule, list: [] });
      setStatus(`Saved at ${new Date().toLocaleTimeString('en-GB')}.`);
      if (existing === undefined) history.replaceState(null, '', `#/traits/${encodeURIComponent(code)}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_rule') {
        setRuleErrors({ text: rule, list: e.errors.length > 0 ? e.errors : [{ message: e.message }] });
        setStatus('The rule was not saved: see the errors under it.');
      } else setStatus(messageOf(e));
    }
  };

  return (
    <>
      <h1>{existing === undefined ? 'New trait' : `Trait ${existing}`}</h1>
      {readOnly && (
        <p id="kind-note" class="note">
          This is a {kind} trait: it comes from a partner's files, not from a rule, so the console shows it
          read-only.
        </p>
      )}
      <form onSubmit={(e) => void save(e)}>
        <TextField id="code" label="Code" value={code} onValue={setCode} readOnly={saved} required />
        <TextField id="name" label="Name" value={name} onValue={setName} readOnly={readOnly} required />
        <RuleField id="rule" value={rule} onValue={setRule} readOnly={readOnly} errors={errors} />
        {!readOnly && <RulePreview role={session.role} {...preview} />}
        <TextField
          id="lifetime"
          label="Lifetime (days)"
          type="number"
          min={1}
          max={3650}
          value={lifetime}
          onValue={setLifetime}
          readOnly={readOnly}
          required
        />
        <TextField id="folder" label="Folder" value={folder} onValue={setFolder} readOnly={readOnly} />
        <div class="actions">
          {!readOnly && (
            <button type="submit" disabled={!canSave} aria-describedby={canSave ? undefined : 'save-note'}>
              Save
            </button>
          )}
          {!canSave && !readOnly && (
            <p id="save-note">
              Your role ({session.role}) may read traits but not save them: ask an admin for the editor role.
            </p>
          )}
        </div>
        <p role="alert" class="status">
          {status}
        </p>
      </form>
    </>
  );
}
