import { EVENT_PATHS } from './event-paths.ts';

/** The kind of value a path holds, which decides the operators allowed on it. */
export type PathKind = 'string' | 'number' | 'time' | 'id' | 'untyped';

/** The fixed paths of the profile scope and their kinds (docs/rule-language.md, Names in scope). */
export const PROFILE_PATHS: ReadonlyMap<string, PathKind> = new Map<string, PathKind>([
  ['geo.country', 'string'],
  ['geo.region', 'string'],
  ['geo.city', 'string'],
  ['device.type', 'string'],
  ['device.os', 'string'],
  ['device.browser', 'string'],
  ['visits', 'number'],
  ['pageviews', 'number'],
  ['first_seen', 'time'],
  ['last_seen', 'time'],
]);

const EVENT_PREFIXES = ['url.query.', 'signals.'];

/**
 * The kind of a path in a scope, or `undefined` when the path is not in that scope.
 * Example: `pathKind('event', 'signals.value')` -> `'untyped'`; `pathKind('profile', 'ids.maid')` -> `'id'`;
 * `pathKind('profile', 'url.path')` -> `undefined`.
 */
export function pathKind(scope: 'event' | 'profile', path: string): PathKind | undefined {
  if (scope === 'event') {
    if (EVENT_PATHS.includes(path)) return 'string';
    return EVENT_PREFIXES.some((p) => path.startsWith(p) && path.length > p.length) ? 'untyped' : undefined;
  }
  if (path.startsWith('ids.') && path.length > 4) return 'id';
  return PROFILE_PATHS.get(path);
}

/** The names to suggest from for a scope. Example: `knownPaths('profile')` includes `'visits'` and `'ids.<type>'`. */
export function knownPaths(scope: 'event' | 'profile'): string[] {
  return scope === 'event'
    ? [...EVENT_PATHS, 'url.query.<k>', 'signals.<k>']
    : [...PROFILE_PATHS.keys(), 'ids.<type>'];
}
