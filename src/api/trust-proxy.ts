import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TrustProxySetting } from '../config/trust-proxy-setting.ts';
import { NAMED_RANGES } from '../config/trust-proxy-setting.ts';

/**
 * Whether the peer `address`, `hop` steps from us (0: the socket's peer), may speak for the client, as
 * Fastify's `trustProxy` function takes it. Example: `trust('10.0.0.7', 0)` -> `true` for `10.0.0.0/8`.
 */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The trust function of a setting: nobody, the last `hops` peers, or peers in the listed ranges (an
 * IPv4-mapped IPv6 address counts as its IPv4 address).
 *
 * Example: `const trust = trustProxy({ addresses: ['127.0.0.1'] }); trust('127.0.0.1', 0)` -> `true`.
 */
export function trustProxy(setting: TrustProxySetting): TrustProxy {
  if (setting === false) return () => false;
  if ('hops' in setting) {
    const { hops } = setting;
    return (_address, hop) => hop < hops;
  }
  const list = new BlockList();
  for (const entry of setting.addresses.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address as Fastify computes `request.ip` with this trust (proxy-addr's walk): from the
 * socket's peer back through `X-Forwarded-For` (entries split on commas, spaces and tabs trimmed,
 * empty ones skipped), as long as each address is trusted; the first untrusted one is the client.
 *
 * Example: peer `10.0.0.1`, `X-Forwarded-For: 1.2.3.4`, trust `10.0.0.0/8` -> `'1.2.3.4'`; with no
 * trust -> `'10.0.0.1'`.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string | undefined {
  const peer = req.socket.remoteAddress;
  const header = req.headers['x-forwarded-for'];
  if (typeof header !== 'string' || header === '') return peer;
  let address = peer;
  let hop = 0;
  const next = (entry: string): boolean => {
    if (address === undefined || !trust(address, hop)) return false;
    address = entry;
    hop++;
    return true;
  };
  if (!header.includes(',')) {
    const only = header.trim();
    if (only !== '') next(only);
    return address;
  }
  // entries from the nearest (last) to the farthest, spaces and tabs trimmed, as @fastify/forwarded does
  let end = header.length;
  let start = end;
  for (let i = end - 1; i >= 0; i--) {
    const char = header[i];
    if (char === ' ' || char === '\t') {
      if (start === end) start = end = i;
    } else if (char === ',') {
      if (start !== end && !next(header.slice(start, end))) return address;
      start = end = i;
    } else start = i;
  }
  if (start !== end) next(header.slice(start, end));
  return address;
}

/** Whether the socket's peer is a trusted proxy (so its `X-Forwarded-Proto` and `-Host` count). */
export function peerTrusted(req: IncomingMessage, trust: TrustProxy): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trust(peer, 0);
}
