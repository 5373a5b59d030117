/** Gives a slot back. Example: `release()` once the run has ended (a second call does nothing). */
export type Release = () => void;

/** How many runs may work at once. Example: `{ perTenant: 2, total: 4 }` */
export interface RunLimits {
  perTenant: number;
  total: number;
}

interface Waiter {
  grant: (release: Release) => void;
}

/**
 * Slots for batch runs: at most `perTenant` runs of one tenant and `total` runs in all work at once; the
 * others wait in line, first come first served within a tenant, and a freed slot goes to the next tenant
 * in turn (round robin), so a tenant with many runs queued cannot hold every slot against the others.
 *
 * Example:
 * ```ts
 * const slots = new RunSlots({ perTenant: 2, total: 4 });
 * const release = slots.tryAcquire('t1') ?? (await slots.acquire('t1', signal));
 * try { await work(); } finally { release(); }
 * ```
 */
export class RunSlots {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter[]>();
  private total = 0;
  /** tenants in the order their turn comes */
  private turn: string[] = [];

  constructor(private readonly limits: RunLimits) {}

  /** A slot now, or undefined when the tenant's runs or all runs are at their limit or others wait first. */
  tryAcquire(tenant: string): Release | undefined {
    if ((this.waiting.get(tenant)?.length ?? 0) > 0 || !this.free(tenant)) return undefined;
    return this.take(tenant);
  }

  /** A slot once one is free for the tenant; rejects with the signal's reason if it aborts first. */
  acquire(tenant: string, signal?: AbortSignal): Promise<Release> {
    const now = this.tryAcquire(tenant);
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const line = this.waiting.get(tenant) ?? [];
        const at = line.indexOf(waiter);
        if (at >= 0) line.splice(at, 1);
        if (line.length === 0) {
          this.waiting.delete(tenant);
          this.turn = this.turn.filter((t) => t !== tenant);
        }
        reject(signal?.reason as Error);
      };
      if (signal?.aborted === true) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const line = this.waiting.get(tenant) ?? [];
      line.push(waiter);
      this.waiting.set(tenant, line);
      if (!this.turn.includes(tenant)) this.turn.push(tenant);
    });
  }

  /** Runs of the tenant waiting for a slot. Example: `slots.queued('t1')` -> 3 */
  queued(tenant: string): number {
    return this.waiting.get(tenant)?.length ?? 0;
  }

  private free(tenant: string): boolean {
    return this.total < this.limits.total && (this.running.get(tenant) ?? 0) < this.limits.perTenant;
  }

  private take(tenant: string): Release {
    this.total++;
    this.running.set(tenant, (this.running.get(tenant) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.running.get(tenant) ?? 1) - 1;
      if (left === 0) this.running.delete(tenant);
      else this.running.set(tenant, left);
      this.grantNext();
    };
  }

  /** Hands freed slots to waiting runs, one tenant after the other. */
  private grantNext(): void {
    let granted = true;
    while (granted && this.total < this.limits.total) {
      granted = false;
      for (let i = 0; i < this.turn.length; i++) {
        const tenant = this.turn[i] ?? '';
        const line = this.waiting.get(tenant) ?? [];
        if (line.length === 0 || !this.free(tenant)) continue;
        const waiter = line.shift();
        if (line.length === 0) this.waiting.delete(tenant);
        // the tenant served goes to the back of the turn
        this.turn = [...this.turn.slice(0, i), ...this.turn.slice(i + 1), tenant].filter(
          (t) => (this.waiting.get(t)?.length ?? 0) > 0,
        );
        waiter?.grant(this.take(tenant));
        granted = true;
        break;
      }
    }
  }
}
