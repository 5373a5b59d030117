import type { CollectedEvent } from '../event.ts';
import type { PathValue } from './rule-values.ts';

/** The fixed paths of the event scope (docs/rule-language.md, Names in scope), besides `url.query.<k>` and `signals.<k>`. */
export const EVENT_PATHS: readonly string[] = [
  'event',
  'url',
  'url.host',
  'url.path',
  'referrer',
  'referrer.host',
  'utm.source',
  'utm.medium',
  'utm.campaign',
  'utm.term',
  'utm.content',
  'geo.country',
  'geo.region',
  'geo.city',
  'device.type',
  'device.os',
  'device.browser',
];

function own(record: Record<string, PathValue> | undefined, key: string): PathValue {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * The value of an event-scope path in an event, `undefined` when absent or unknown (the interpreter's way).
 * Example: `eventValue(e, 'url.path')` -> `'/pricing'`; `eventValue(e, 'signals.tags')` -> `['sale', 'winter']`.
 */
export function eventValue(e: CollectedEvent, path: string): PathValue {
  switch (path) {
    case 'event':
      return e.type;
    case 'url':
      return e.url?.href;
    case 'url.host':
      return e.url?.host;
    case 'url.path':
      return e.url?.path;
    case 'referrer':
      return e.referrer?.href;
    case 'referrer.host':
      return e.referrer?.host;
    case 'utm.source':
      return e.utm?.source;
    case 'utm.medium':
      return e.utm?.medium;
    case 'utm.campaign':
      return e.utm?.campaign;
    case 'utm.term':
      return e.utm?.term;
    case 'utm.content':
      return e.utm?.content;
    case 'geo.country':
      return e.geo?.country;
    case 'geo.region':
      return e.geo?.region;
    case 'geo.city':
      return e.geo?.city;
    case 'device.type':
      return e.device?.type;
    case 'device.os':
      return e.device?.os;
    case 'device.browser':
      return e.device?.browser;
  }
  if (path.startsWith('url.query.')) return own(e.url?.query, path.slice(10));
  if (path.startsWith('signals.')) return own(e.signals, path.slice(8));
  return undefined;
}

/**
 * A getter for one path, resolved once (the compiler's way). Example: `eventGetter('geo.city')(e)` -> `'London'`.
 */
export function eventGetter(path: string): (e: CollectedEvent) => PathValue {
  if (path.startsWith('url.query.')) {
    const key = path.slice(10);
    return (e) => own(e.url?.query, key);
  }
  if (path.startsWith('signals.')) {
    const key = path.slice(8);
    return (e) => own(e.signals, key);
  }
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const tail = dot < 0 ? '' : path.slice(dot + 1);
  if (path === 'event') return (e) => e.type;
  if (path === 'url') return (e) => e.url?.href;
  if (path === 'referrer') return (e) => e.referrer?.href;
  if (!EVENT_PATHS.includes(path)) return () => undefined;
  if (head === 'url') return tail === 'host' ? (e) => e.url?.host : (e) => e.url?.path;
  if (head === 'referrer') return (e) => e.referrer?.host;
  if (head === 'utm') return (e) => own(e.utm as Record<string, PathValue>, tail);
  if (head === 'geo') return (e) => own(e.geo as Record<string, PathValue>, tail);
  return (e) => own(e.device as Record<string, PathValue>, tail);
}
