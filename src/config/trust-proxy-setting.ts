import { isIP } from 'node:net';

/**
 * Which peers may tell us the client's address (`X-Forwarded-For`) and protocol: nobody (`false`), the
 * last `hops` proxies whatever their address, or the peers in these addresses, CIDR ranges and named
 * ranges (`loopback`, `linklocal`, `uniquelocal`).
 * Example: `{ addresses: ['10.0.0.0/8', '127.0.0.1'] }`.
 */
export type TrustProxySetting = false | { hops: number } | { addresses: string[] };

/** The named ranges an address list may use, as proxy-addr (Express, Fastify) names them. */
export const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Reads `DMP_TRUST_PROXY`: unset or empty trusts nobody; a whole number is a hop count (0: nobody);
 * otherwise a comma-separated list of addresses, CIDR ranges and named ranges. Anything else throws an
 * error that says what was wrong and how to write it (so a typo never silently trusts everyone).
 *
 * Example: `parseTrustProxy('10.0.0.0/8, loopback')` -> `{ addresses: ['10.0.0.0/8', 'loopback'] }`;
 * `parseTrustProxy('1')` -> `{ hops: 1 }`; `parseTrustProxy(undefined)` -> `false`.
 */
export function parseTrustProxy(text: string | undefined, name = 'DMP_TRUST_PROXY'): TrustProxySetting {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops === 0 ? false : { hops };
  }
  const addresses = trimmed.split(',').map((entry) => entry.trim());
  for (const entry of addresses) {
    if (!validEntry(entry))
      throw new Error(
        `${name}=${text}: '${entry}' is not an IP address, a CIDR range (10.0.0.0/8) or one of ` +
          `${Object.keys(NAMED_RANGES).join(', ')}; give your proxies' addresses separated by commas, ` +
          'a hop count, or leave it unset to trust no proxy',
      );
  }
  return { addresses };
}

function validEntry(entry: string): boolean {
  if (entry in NAMED_RANGES) return true;
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const bits = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
