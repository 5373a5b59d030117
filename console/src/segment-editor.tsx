import { useEffect, useRef, useState } from 'preact/hooks';
import type { RuleError, Segment, Session, Size } from './api.ts';
import { ApiError, call, messageOf } from './api.ts';
import type { VisualRule } from './visual-rule.ts';
import { parseVisual, printVisual } from './visual-rule.ts';
import { VisualEditor } from './visual-editor.tsx';
import { TextField } from './fields.tsx';
import { SendToDestination } from './send-to-destination.tsx';
import { SegmentAnalysis } from './segment-analysis.tsx';

/** How long typing must pause before the size is asked again. */
const SIZE_DEBOUNCE_MS = 400;
/** The roles that may save a segment (the API's `edit` permission; the API checks it again). */
const EDITORS = new Set(['editor', 'admin']);

/** The size line: the exact size and when it was computed, or why there is none. */
type SizeState =
  | { kind: 'idle' }
  | { kind: 'size'; size: Size }
  | { kind: 'error'; status: number; message: string; errors: RuleError[] };

/**
 * The segment editor: code, name and the rule, in the code view (a textarea) or the visual mode (the
 * same rule as a list of conditions); the rule's exact size, asked of `POST /v1/audience/size` 400 ms
 * after the last change; "Save" creates the segment (`POST /v1/segments`) or changes it (`PATCH`).
 */
export function SegmentEditor({ session, code: existing }: { session: Session; code?: string }) {
  const [code, setCode] = useState(existing ?? '');
  const [name, setName] = useState('');
  const [rule, setRule] = useState('');
  const [visual, setVisual] = useState<VisualRule | undefined>(undefined);
  const [modeNote, setModeNote] = useState('');
  const [size, setSize] = useState<SizeState>({ kind: 'idle' });
  const [saved, setSaved] = useState(existing !== undefined);
  const [status, setStatus] = useState('');
  const asked = useRef(0);
  const [refresh, setRefresh] = useState(0);
  const canSave = EDITORS.has(session.role);

  useEffect(() => {
    if (existing === undefined) return;
    call<Segment>('GET', `/v1/segments/${encodeURIComponent(existing)}`)
      .then((s) => {
        setName(s.name);
        setRule(s.rule);
      })
      .catch((e: unknown) => setStatus(messageOf(e)));
  }, [existing]);

  useEffect(() => {
    if (rule.trim() === '') {
      setSize({ kind: 'idle' });
      return undefined;
    }
    const n = ++asked.current;
    const timer = setTimeout(() => {
      call<Size>('POST', '/v1/audience/size', { rule })
        .then((s) => n === asked.current && setSize({ kind: 'size', size: s }))
        .catch((e: unknown) => {
          if (n !== asked.current) return;
          const [status, errors] = e instanceof ApiError ? [e.status, e.errors] : [0, []];
          setSize({ kind: 'error', status, message: messageOf(e), errors });
        });
    }, SIZE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [rule, refresh]);

  const toVisual = () => {
    const v = parseVisual(rule);
    if (v === undefined) {
      setModeNote(
        'This rule has parts the visual mode does not edit (not, brackets, other fields, and with or): edit it in the code view.',
      );
      return;
    }
    setModeNote('');
    setVisual(v);
  };
  const editVisual = (v: VisualRule) => {
    setVisual(v);
    setRule(printVisual(v));
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus('');
    try {
      if (saved) await call('PATCH', `/v1/segments/${encodeURIComponent(code)}`, { name, rule });
      else await call('POST', '/v1/segments', { code, name, rule });
      setSaved(true);
      setStatus(`Saved at ${new Date().toLocaleTimeString()}.`);
      if (existing === undefined) history.replaceState(null, '', `#/segments/${encodeURIComponent(code)}`);
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  return (
    <>
      <h1>{existing === undefined ? 'New segment' : `Segment ${existing}`}</h1>
      <form onSubmit={(e) => void save(e)}>
        <TextField id="code" label="Code" value={code} onValue={setCode} readOnly={saved} required />
        <TextField id="name" label="Name" value={name} onValue={setName} required />
        <div role="group" aria-label="Editing mode" class="modes">
          <button type="button" aria-pressed={visual !== undefined} onClick={toVisual}>
            Visual
          </button>
          <button type="button" aria-pressed={visual === undefined} onClick={() => setVisual(undefined)}>
            Code
          </button>
        </div>
        <p role="status">{modeNote}</p>
        {visual !== undefined && <VisualEditor value={visual} onChange={editVisual} />}
        <label for="rule">Rule</label>
        <textarea
          id="rule"
          rows={6}
          spellcheck={false}
          value={rule}
          readOnly={visual !== undefined}
          aria-describedby="rule-errors"
          aria-invalid={size.kind === 'error' && size.status === 422}
          onInput={(e) => setRule(e.currentTarget.value)}
        />
        <ul id="rule-errors" class="error">
          {size.kind === 'error' &&
            size.status === 422 &&
            (size.errors.length > 0 ? size.errors : [{ message: size.message }]).map((err, i) => (
              <li key={i}>
                {err.line !== undefined ? `line ${err.line}, column ${err.column ?? 1}: ` : ''}
                {err.message}
              </li>
            ))}
        </ul>
        <label for="size">Size</label>
        <output id="size" for="rule" aria-live="polite">
          {sizeText(size)}
        </output>
        <button type="button" onClick={() => setRefresh((n) => n + 1)}>
          Refresh size
        </button>
        <button type="submit" disabled={!canSave} aria-describedby={canSave ? undefined : 'save-note'}>
          Save
        </button>
        {!canSave && (
          <p id="save-note">
            Your role ({session.role}) may read segments but not save them: ask an admin for the editor role.
          </p>
        )}
        <p role="alert" class="status">
          {status}
        </p>
      </form>
      {saved && <SendToDestination session={session} segment={code} />}
      {saved && <SegmentAnalysis key={code} session={session} code={code} />}
    </>
  );
}

/** The size line's words: "1,234 profiles, computed at 12:00:00", or why there is no size. */
function sizeText(size: SizeState): string {
  // a rule that does not check has its errors under the field; any other refusal (a role without
  // `compute`, the server unreachable) is said here
  if (size.kind === 'error')
    return size.status === 422 ? 'no size: see the error above' : `no size: ${size.message}`;
  if (size.kind === 'idle') return 'no rule yet';
  const { size: n, exact, asOf } = size.size;
  const profiles = `${n.toLocaleString('en')} ${n === 1 ? 'profile' : 'profiles'}${exact ? '' : ' (estimated)'}`;
  return `${profiles}, computed at ${new Date(asOf).toLocaleTimeString('en-GB')}`;
}
