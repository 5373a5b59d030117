import { ipv6Groups, mappedIpv4 } from '../collect/index.ts';

/** A client's failures in the current window. */
interface Window {
  failures: number;
  endsAt: number;
}

/**
 * Failed credential attempts (API keys, the metrics token) counted per client address in fixed
 * one-minute windows. Once a client has failed `perMinute` times, every attempt from it is refused until
 * its window ends, the right key too: an answer that differed for a right key would still let a guesser
 * tell when it had found one. IPv6 clients are counted by their /64 (one host usually holds a whole /64).
 * At `maxClients` windows the ended ones are dropped, then all (memory stays bounded under a flood).
 *
 * Example:
 * ```ts
 * const failures = new AuthFailures(20);
 * if (failures.blockedForMs(request.ip) > 0) throw tooMany; // else check the key, and on a bad one:
 * failures.fail(request.ip);
 * ```
 */
export class AuthFailures {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
    private readonly maxClients = 100_000,
  ) {}

  /** How long the client must wait before trying again; 0 when it may try now (or there is no limit). */
  blockedForMs(client: string | undefined): number {
    if (this.perMinute <= 0) return 0;
    const window = this.windows.get(clientKey(client));
    if (window === undefined || window.failures < this.perMinute) return 0;
    return Math.max(0, window.endsAt - this.now());
  }

  /** Counts one failed attempt of the client. */
  fail(client: string | undefined): void {
    if (this.perMinute <= 0) return;
    const key = clientKey(client);
    const now = this.now();
    const window = this.windows.get(key);
    if (window !== undefined && window.endsAt > now) {
      window.failures++;
      return;
    }
    if (this.windows.size >= this.maxClients) this.prune(now);
    this.windows.set(key, { failures: 1, endsAt: now + this.windowMs });
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    if (this.windows.size >= this.maxClients) this.windows.clear();
  }
}

/** The client as counted: an IPv4 address (also inside IPv6), or an IPv6 address's first 64 bits. */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return '';
  const v4 = mappedIpv4(address);
  if (v4 !== undefined) return v4;
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
