import { call } from './api.ts';
import type { FormErrors } from './form-errors.ts';
import { formErrorsOf } from './form-errors.ts';

/** What `saveResource` answers: the resource as the API saved it, or its refusal sorted for the form. */
export type SaveResult<T> = { saved: T } | { errors: FormErrors };

/**
 * Creates a resource of `collection` (`POST`) or, given the code of an existing one, replaces it (`PUT
 * collection/code`). A refusal's per-field errors are sorted under the form's `fields`; when none is left
 * for under the form, it says "Not saved: see the errors under the fields."
 *
 * Example:
 * ```ts
 * const result = await saveResource<Campaign>('/v1/campaigns', existing?.code, body, FIELDS);
 * if ('saved' in result) onSaved(result.saved);
 * else setErrors(result.errors);
 * ```
 */
export async function saveResource<T>(
  collection: string,
  existingCode: string | undefined,
  body: unknown,
  fields: readonly string[],
): Promise<SaveResult<T>> {
  try {
    const saved =
      existingCode === undefined
        ? await call<T>('POST', collection, body)
        : await call<T>('PUT', `${collection}/${encodeURIComponent(existingCode)}`, body);
    return { saved };
  } catch (err) {
    const errors = formErrorsOf(err, fields);
    if (errors.rest.length === 0) errors.rest.push('Not saved: see the errors under the fields.');
    return { errors };
  }
}
