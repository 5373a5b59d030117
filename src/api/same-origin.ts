import type { FastifyRequest } from 'fastify';

/**
 * Why a request that changes state did not come from this server's own pages, or undefined when nothing
 * says it came from elsewhere. Browsers say where a request comes from in `Sec-Fetch-Site`, `Origin`
 * (sent with every POST) and `Referer`: another site, a sibling subdomain (`same-site`), an opaque
 * `Origin: null` (sandboxed frame, `data:` page) or an origin whose host is not this request's `Host`
 * all count as cross-site. A request with none of them (not a browser, or a very old one) is left to the
 * form token, which only this server's page hands out.
 *
 * Example: `crossSiteReason(request)` -> `'Origin https://evil.example is not this server'` for a form
 * on evil.example that posts here; `undefined` for this server's own form.
 */
export function crossSiteReason(request: FastifyRequest): string | undefined {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return `Sec-Fetch-Site is ${fetchSite}`;
  const host = request.host.toLowerCase();
  const origin = request.headers.origin;
  if (origin !== undefined)
    return hostOf(origin) === host ? undefined : `Origin ${origin} is not this server`;
  const referer = request.headers.referer;
  if (referer !== undefined && hostOf(referer) !== host) return 'the Referer is not a page of this server';
  return undefined;
}

/** The `host[:port]` of an absolute URL, lower-case, or undefined (`null`, not a URL). */
function hostOf(url: string): string | undefined {
  if (url === 'null') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host : undefined;
  } catch {
    return undefined;
  }
}
