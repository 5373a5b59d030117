import { useEffect, useState } from 'preact/hooks';
import type { RuleError } from './api.ts';
import { ApiError, call, messageOf } from './api.ts';

/** What `POST /v1/traits/preview` answers. */
export interface PreviewAnswer {
  matched: number;
  scanned: number;
  from: string | null;
  to: string | null;
  window: { maxEvents: number; maxAgeHours: number; limitedBy: 'events' | 'age' | 'records' | 'none' };
}

/** The API's errors of one rule text (`text`), so that they are shown only while the rule reads so. */
export interface RuleErrors {
  text: string;
  list: RuleError[];
}

/** The roles with the API's `compute` permission (`src/core/roles.ts`), which the preview needs. */
export const COMPUTE_ROLES = new Set(['analyst', 'editor', 'admin']);

/** What the note adds when the answer says a bound cut the events read. */
const LIMITS: Record<PreviewAnswer['window']['limitedBy'], string> = {
  events: ' (there are more: only the newest are counted)',
  age: '',
  records: " (the log is busy: only its newest million records, all tenants', were read)",
  none: '',
};

/** How long the rule must rest before it is previewed, in ms. */
const DEBOUNCE_MS = 300;

/** A time of the answer as the editor shows it. Example: `shortTime('2026-11-20T12:00:05.120Z')` -> `'2026-11-20 12:00:05 UTC'`. */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * The sentence for an answer. Example: `previewText({ matched: 3, scanned: 7, from, to, window })` ->
 * `'3 of the last 7 events match (from 2026-11-20 09:00:00 UTC to 2026-11-20 11:59:00 UTC)'`.
 */
export function previewText(answer: PreviewAnswer): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (answer.from === null || answer.to === null)
    return `No events reached the log in the last ${answer.window.maxAgeHours} hours.`;
  return `${n(answer.matched)} of the last ${n(answer.scanned)} events match (from ${shortTime(answer.from)} to ${shortTime(answer.to)})`;
}

/**
 * Previews the rule as it is typed: `DEBOUNCE_MS` after the last change, `POST /v1/traits/preview`;
 * a `422` hands its errors (for that text) to `onErrors`, an answer clears them. An answer to a rule
 * since changed is dropped.
 *
 * Example: `const { answer, message } = useRulePreview(rule, mayCompute, setRuleErrors);`
 */
export function useRulePreview(
  rule: string,
  enabled: boolean,
  onErrors: (errors: RuleErrors) => void,
): { answer: PreviewAnswer | undefined; message: string } {
  const [answer, setAnswer] = useState<PreviewAnswer | undefined>(undefined);
  const [message, setMessage] = useState('');
  useEffect(() => {
    setAnswer(undefined);
    setMessage('');
    if (!enabled || rule.trim() === '') return undefined;
    let current = true;
    const timer = setTimeout(() => {
      call<PreviewAnswer>('POST', '/v1/traits/preview', { rule })
        .then((a) => {
          if (!current) return;
          setAnswer(a);
          onErrors({ text: rule, list: [] });
        })
        .catch((e: unknown) => {
          if (!current) return;
          if (e instanceof ApiError && e.code === 'invalid_rule') {
            onErrors({ text: rule, list: e.errors.length > 0 ? e.errors : [{ message: e.message }] });
            setMessage('No preview: the rule does not check (see the errors under it).');
          } else setMessage(messageOf(e));
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [rule, enabled, onErrors]);
  return { answer, message };
}

/**
 * "Matching recent events": the preview's sentence (a live `<output>`), or why there is none; a role
 * without `compute` is told it may not preview.
 *
 * Example: `<RulePreview role={session.role} answer={answer} message={message} />`
 */
export function RulePreview(props: { role: string; answer: PreviewAnswer | undefined; message: string }) {
  const { role, answer, message } = props;
  const mayCompute = COMPUTE_ROLES.has(role);
  return (
    <>
      <label for="rule-preview">Matching recent events</label>
      <output id="rule-preview" aria-describedby="rule-preview-note" class="preview">
        {!mayCompute
          ? `Your role (${role}) may not preview matches: the analyst role and above may.`
          : answer !== undefined
            ? previewText(answer)
            : message}
      </output>
      <p id="rule-preview-note" class="hint">
        Read from the event log as you type: the tenant's newest{' '}
        {(answer?.window.maxEvents ?? 10_000).toLocaleString('en-GB')} events, none older than{' '}
        {answer?.window.maxAgeHours ?? 24} hours
        {LIMITS[answer?.window.limitedBy ?? 'none']}. Nothing is saved.
      </p>
    </>
  );
}
