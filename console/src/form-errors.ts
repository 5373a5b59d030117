import { ApiError } from './api.ts';

/** The API's messages per form field (`settings.batchSize` -> its messages), and those of no field. */
export interface FormErrors {
  byField: Record<string, string[]>;
  rest: string[];
}

/** No errors: the state of a form before it is sent. */
export const NO_ERRORS: FormErrors = { byField: {}, rest: [] };

/** Whether the API's error `field` (`segments[2].id`) belongs to the form field `key` (`segments`). */
function under(field: string, key: string): boolean {
  return field === key || field.startsWith(`${key}.`) || field.startsWith(`${key}[`);
}

/**
 * Sorts a refusal's per-field errors (the problem's `errors`, each `{ field, message }`) under the form
 * fields they name: each goes to the longest of `keys` its field starts with; the others, and a refusal
 * without per-field errors, are `rest`, said under the form.
 *
 * Example: `formErrorsOf(e, ['name', 'settings.batchSize'])` for
 * `errors: [{ field: 'settings.batchSize', message: 'must be between 1 and 10000' }]` ->
 * `{ byField: { 'settings.batchSize': ['must be between 1 and 10000'] }, rest: [] }`
 */
export function formErrorsOf(error: unknown, keys: readonly string[]): FormErrors {
  const out: FormErrors = { byField: {}, rest: [] };
  if (!(error instanceof ApiError) || error.errors.length === 0) {
    out.rest.push(error instanceof Error ? error.message : String(error));
    return out;
  }
  const byLength = [...keys].sort((a, b) => b.length - a.length);
  for (const item of error.errors as unknown[]) {
    const { field, message } = (item ?? {}) as { field?: unknown; message?: unknown };
    const key = typeof field === 'string' ? byLength.find((k) => under(field, k)) : undefined;
    if (key === undefined || typeof message !== 'string') {
      out.rest.push(error.message);
      continue;
    }
    const inner = field === key ? '' : `${String(field).slice(key.length).replace(/^\./, '')}: `;
    (out.byField[key] ??= []).push(`${inner}${message}`);
  }
  out.rest = [...new Set(out.rest)];
  return out;
}
