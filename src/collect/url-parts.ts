import type { UrlParts, Utm } from '../core/event.ts';

/**
 * Splits an http(s) URL into the parts trait rules test. `host` is the lowercased host name without
 * port, `path` the path, `query` the first value of each query parameter (decoded). Undefined when the
 * text is not an absolute http or https URL.
 *
 * Example: `urlParts('https://Shop.example.com/pricing?utm_source=news&a=1&a=2')` ->
 * `{ href: 'https://shop.example.com/pricing?utm_source=news&a=1&a=2', host: 'shop.example.com',
 *    path: '/pricing', query: { utm_source: 'news', a: '1' } }`.
 */
export function urlParts(text: string): UrlParts | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return { href: url.href, host: url.hostname, path: url.pathname, query: parseQuery(url.search) };
}

/**
 * The first value of each parameter of a query string (with or without its `?`), decoded as a form
 * (`+` is a space); a malformed escape keeps its raw text. Example: `parseQuery('?a=1&b=x+y&a=2')` ->
 * `{ a: '1', b: 'x y' }`.
 */
export function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (search.length <= 1) return query;
  let start = search.charCodeAt(0) === 63 /* ? */ ? 1 : 0;
  while (start < search.length) {
    let end = search.indexOf('&', start);
    if (end < 0) end = search.length;
    if (end > start) {
      const eq = search.indexOf('=', start);
      const split = eq >= 0 && eq < end;
      const key = decode(search.slice(start, split ? eq : end));
      if (key !== '' && !Object.hasOwn(query, key)) {
        query[key] = split ? decode(search.slice(eq + 1, end)) : '';
      }
    }
    start = end + 1;
  }
  return query;
}

function decode(part: string): string {
  const spaced = part.includes('+') ? part.replaceAll('+', ' ') : part;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * The UTM fields of a parsed query: `utm_source` -> `source`, `utm_medium`, `utm_campaign`, `utm_term`,
 * `utm_content`. Example: `utmFromQuery({ utm_source: 'news', x: '1' })` -> `{ source: 'news' }`.
 */
export function utmFromQuery(query: Readonly<Record<string, string>>): Utm {
  const utm: Utm = {};
  if (Object.hasOwn(query, 'utm_source')) utm.source = query.utm_source;
  if (Object.hasOwn(query, 'utm_medium')) utm.medium = query.utm_medium;
  if (Object.hasOwn(query, 'utm_campaign')) utm.campaign = query.utm_campaign;
  if (Object.hasOwn(query, 'utm_term')) utm.term = query.utm_term;
  if (Object.hasOwn(query, 'utm_content')) utm.content = query.utm_content;
  return utm;
}
