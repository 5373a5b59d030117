import type { FormErrors } from './form-errors.ts';
import { formErrorsOf } from './form-errors.ts';

/** What `saveResource` answers: the resource as the API saved it, or its refusal sorted for the form. */
export type SaveResult<T> = { saved: T } | { errors: FormErrors };

/**
 * Saves a resource with `save` (the form's own `POST` or `PUT` call, written where its path can be read:
 * ADR 36) and sorts a refusal's per-field errors under the form's `fields`; when none is left for under
 * the form, it says "Not saved: see the errors under the fields."
 *
 * Example:
 * ```ts
 * const result = await saveResource(() => call<Campaign>('POST', '/v1/campaigns', body), FIELDS);
 * if ('saved' in result) onSaved(result.saved);
 * else setErrors(result.errors);
 * ```
 */
export async function saveResource<T>(
  save: () => Promise<T>,
  fields: readonly string[],
): Promise<SaveResult<T>> {
  try {
    return { saved: await save() };
  } catch (err) {
    const errors = formErrorsOf(err, fields);
    if (errors.rest.length === 0) errors.rest.push('Not saved: see the errors under the fields.');
    return { errors };
  }
}
