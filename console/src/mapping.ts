import type { Destination, Mapping } from './api.ts';

/**
 * The destination's mapping with `segment` sent as `id`: added at the end, or its ID changed where it
 * already is (a destination sends a segment under one ID). The API replaces a destination whole, so the
 * console PUTs the destination back with this list.
 *
 * Example: `withMapping([{ segment: 'a', id: '1' }], 'b', '2')` -> `[{ segment: 'a', id: '1' }, { segment: 'b', id: '2' }]`
 */
export function withMapping(segments: Mapping[], segment: string, id: string): Mapping[] {
  const at = segments.findIndex((m) => m.segment === segment);
  if (at === -1) return [...segments, { segment, id }];
  return segments.map((m, i) => (i === at ? { segment, id } : m));
}

/**
 * Whether a destination as the API shows it hides credentials (`***`, an http destination's
 * authorization or header values): writing it back would replace the stored secrets with the mask, so the
 * console leaves such mappings to the API.
 *
 * Example: `hidesSecrets({ ...hook, settings: { url, authorization: '***' } })` -> `true`
 */
export function hidesSecrets(destination: Pick<Destination, 'settings'>): boolean {
  const settings = destination.settings ?? {};
  if (settings['authorization'] === '***') return true;
  const headers = settings['headers'];
  return typeof headers === 'object' && headers !== null && Object.values(headers).includes('***');
}
