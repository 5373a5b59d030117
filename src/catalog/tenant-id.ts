import { randomInt } from 'node:crypto';

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
// no 0/o, 1/l: the suffix is read aloud and typed by people
const suffixAlphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * Whether `text` can be a tenant ID as it is: 1 to 32 characters of `a-z`, `0-9` and inner `-`.
 *
 * Example: `isTenantSlug('acme')` -> `true`; `isTenantSlug('Acme Ltd')` -> `false`.
 */
export function isTenantSlug(text: string): boolean {
  return slugPattern.test(text) && !text.includes('--');
}

/**
 * The slug of a tenant name: lower case, accents dropped, other characters turned into `-`, at most 24
 * characters; `tenant` when nothing is left.
 *
 * Example: `tenantSlug('Café Crème Ltd.')` -> `'cafe-creme-ltd'`.
 */
export function tenantSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 24)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'tenant' : slug;
}

/**
 * The tenant IDs to try for a name, in order: the name itself when it is already a slug, then
 * `<slug>-<6 random characters>` (about 10^9 choices per slug, so a second try is rare).
 *
 * Example: `tenantIdCandidates('acme', 3)` -> `['acme', 'acme-k3x9qa', 'acme-7hmz2c']`;
 * `tenantIdCandidates('Acme Ltd', 2)` -> `['acme-ltd-p4wq8d', 'acme-ltd-bn62rt']`.
 */
export function tenantIdCandidates(name: string, count: number): string[] {
  const out: string[] = isTenantSlug(name) ? [name] : [];
  const slug = tenantSlug(name);
  while (out.length < count) out.push(`${slug}-${randomSuffix(6)}`);
  return out;
}

function randomSuffix(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return out;
}
