import { CatalogError } from './catalog.ts';

// scheme://host[:port] with at most a trailing slash: no user info, path, query or fragment.
const originShape = /^(https?):\/\/([^/?#@\s\\]+)\/?$/i;
const dnsHost = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ipv6Host = /^\[[0-9a-f:.]+\]$/;

/**
 * One allowed origin in the form browsers send in `Origin`: lowercased `scheme://host[:port]`, the
 * default port dropped, an IDN host in punycode. `'*'` stays `'*'`. `undefined` when it is not an
 * http(s) origin (a path, a query, user info, a wildcard host, another scheme).
 *
 * Example: `normaliseOrigin('HTTPS://Shop.Example.com:443/')` -> `'https://shop.example.com'`;
 * `normaliseOrigin('https://shop.example.com/cart')` -> `undefined`.
 */
export function normaliseOrigin(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  if (trimmed === '*') return '*';
  if (!originShape.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (!dnsHost.test(url.hostname) && !ipv6Host.test(url.hostname)) return undefined;
  return url.origin;
}

/**
 * A site key's allowed origins, normalised and each once; `['*']` (any origin) must stand alone.
 * Throws `CatalogError('invalid')` naming the bad origin, or for an empty list.
 *
 * Example: `normaliseOrigins(['https://A.com', 'https://a.com/'])` -> `['https://a.com']`;
 * `normaliseOrigins(['*', 'https://a.com'])` throws.
 */
export function normaliseOrigins(origins: unknown): string[] {
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new CatalogError('invalid', "origins must be a non-empty array; ['*'] allows any origin");
  }
  const out: string[] = [];
  for (const origin of origins as unknown[]) {
    const normal = typeof origin === 'string' ? normaliseOrigin(origin) : undefined;
    if (normal === undefined) {
      throw new CatalogError(
        'invalid',
        `origin '${String(origin)}' is not scheme://host[:port] with http or https, nor '*'`,
      );
    }
    if (!out.includes(normal)) out.push(normal);
  }
  if (out.includes('*') && out.length > 1) {
    throw new CatalogError('invalid', "origin '*' means any origin and must be the only one");
  }
  return out;
}

/**
 * Whether a request's `Origin` header is among a site key's allowed origins. A missing or unparsable
 * origin is allowed only by `['*']`; what to do with requests that send no `Origin` at all (pixels,
 * servers) is the collector's decision.
 *
 * Example: `originAllowed(['https://shop.example.com'], 'https://SHOP.example.com')` -> `true`.
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.includes('*')) return true;
  if (origin === undefined) return false;
  const normal = normaliseOrigin(origin);
  return normal !== undefined && normal !== '*' && allowed.includes(normal);
}
