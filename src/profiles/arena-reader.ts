import type { TimeRange } from '../core/time-range.ts';
import type { RealisationLists } from './profile-store.ts';
import type { RealisationArena } from './realisation-arena.ts';

/**
 * Decodes one profile's realisations at a time, newest first, into its own reusable `trait` and `ts`
 * arrays (read them after `load`: they are replaced when a profile needs more room). A `load` of the
 * same profile with no change to the arena since is free.
 *
 * Example:
 * ```ts
 * const n = reader.load(p);
 * for (let i = 0; i < n; i++) visit(reader.trait[i], reader.ts[i]);
 * ```
 */
export class ArenaReader implements RealisationLists {
  trait = new Uint32Array(64);
  ts = new Float64Array(64);
  private p = -1;
  private n = 0;
  private version = -1;

  constructor(private readonly arena: RealisationArena) {}

  countIn(p: number, traitId: number, range: TimeRange, enough = Infinity): number {
    return this.arena.countIn(p, traitId, range, enough);
  }

  timesIn(
    p: number,
    traitId: number,
    range: TimeRange,
    out: Uint32Array,
    outAt: number,
    base: number,
  ): number {
    return this.arena.timesIn(p, traitId, range, out, outAt, base);
  }

  held(p: number): number {
    return this.arena.countOf(p);
  }

  load(p: number): number {
    const version = this.arena.changes();
    if (p === this.p && version === this.version) return this.n;
    this.n = this.arena.decodeNewestFirst(p, this);
    this.p = p;
    this.version = version;
    return this.n;
  }
}
