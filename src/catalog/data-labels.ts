import { CatalogError } from './catalog-error.ts';
import { DATA_LABELS } from './data-source-store.ts';

const known: ReadonlySet<string> = new Set(DATA_LABELS);

/**
 * Checks data source labels and puts them in canonical form: each once, in `DATA_LABELS` order.
 * Throws `CatalogError('invalid')` naming the known labels for anything else.
 *
 * Example: `normaliseLabels(['no-modeling', 'no-onsite-targeting', 'no-modeling'])`
 * -> `['no-onsite-targeting', 'no-modeling']`; `normaliseLabels(['no-ads'])` throws.
 */
export function normaliseLabels(labels: unknown): string[] {
  if (!Array.isArray(labels)) throw new CatalogError('invalid', 'labels must be an array of strings');
  for (const label of labels as unknown[]) {
    if (typeof label !== 'string' || !known.has(label)) {
      throw new CatalogError('invalid', `unknown label '${String(label)}'; known: ${DATA_LABELS.join(', ')}`);
    }
  }
  const given = new Set<unknown>(labels);
  return DATA_LABELS.filter((label) => given.has(label));
}

/**
 * Labels as stored (a JSON array) back to a list; anything unexpected reads as no label.
 *
 * Example: `labelsFromJson('["no-modeling"]')` -> `['no-modeling']`.
 */
export function labelsFromJson(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((l): l is string => typeof l === 'string') : [];
}
