import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from '../../core/net/address-policy.ts';

/**
 * Every address a host name resolves to (for a family: 0 both, 4 or 6). Example: `await resolveAll('a.example', 0)`
 * -> `[{ address: '93.184.215.14', family: 4 }]`
 */
export type ResolveAll = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

/** The system resolver (`getaddrinfo`, as sockets use by default), every address at once. */
export const systemResolveAll: ResolveAll = (hostname, family) => lookup(hostname, { all: true, family });

/**
 * The connection went to an address the policy refuses. Its message says so without naming the address
 * or the host's resolution, so that it can be shown to a tenant.
 *
 * Example: `error instanceof AddressNotAllowedError` -> the batch is dead-lettered at once
 */
export class AddressNotAllowedError extends Error {
  readonly code = 'ERR_ADDRESS_NOT_ALLOWED';
  constructor() {
    super("the destination's address is not allowed");
    this.name = 'AddressNotAllowedError';
  }
}

function familyOf(option: number | 'IPv4' | 'IPv6' | undefined): 0 | 4 | 6 {
  if (option === 4 || option === 'IPv4') return 4;
  if (option === 6 || option === 'IPv6') return 6;
  return 0;
}

/**
 * A `lookup` for sockets (`http.request({ lookup })`, `net.connect`) that resolves the host and fails
 * with `AddressNotAllowedError` when any of its addresses is one the policy refuses. It runs at every
 * connection, so a name that resolved to a public address once and to a private one later (DNS
 * rebinding) is refused the second time. Sockets to an IP literal do not call `lookup`: check those
 * with the policy before connecting.
 *
 * Example: `http.request(url, { method: 'POST', lookup: guardedLookup(addressPolicy()) })`
 */
export function guardedLookup(
  policy: AddressPolicy,
  resolveAll: ResolveAll = systemResolveAll,
): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname, familyOf(options.family)).then(
      (addresses) => {
        const first = addresses[0];
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`no address for the host`);
          error.code = 'ENOTFOUND';
          callback(error, '');
        } else if (addresses.some((a) => !policy.allows(a.address))) {
          callback(new AddressNotAllowedError(), '');
        } else if (options.all === true) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
