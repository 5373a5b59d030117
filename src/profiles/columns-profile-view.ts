import type { ProfileView } from '../core/rules/scope.ts';
import type { IdIndex } from './id-index.ts';
import type { ProfileColumns } from './profile-columns.ts';
import type { ArenaReader, RealisationArena } from './realisation-arena.ts';
import type { StringTable } from './string-table.ts';

/**
 * A `ProfileView` over the typed-array columns: one reusable object, pointed at a profile with `at`.
 *
 * Example:
 * ```ts
 * const view = new ColumnsProfileView(columns, strings, ids, arena);
 * view.at(p).attribute('geo.city'); // 'London'
 * ```
 */
export class ColumnsProfileView implements ProfileView {
  private p = 0;
  /** the profile's realisations, decoded (newest first) on the first question about traits */
  private readonly reader: ArenaReader;

  constructor(
    private readonly columns: ProfileColumns,
    private readonly strings: StringTable,
    private readonly ids: IdIndex,
    arena: RealisationArena,
  ) {
    this.reader = arena.reader();
  }

  /**
   * Points this view at profile `p` and returns it. `indexed` is accepted for the `ProfileView`
   * contract and changes nothing: the profile is decoded once, on its first trait question, and every
   * count is answered from the decoded arrays (decoded again only if its realisations change).
   */
  at(p: number, indexed = false): this {
    void indexed;
    this.p = p;
    return this;
  }

  attribute(path: string): string | number | undefined {
    const c = this.columns;
    const p = this.p;
    switch (path) {
      case 'geo.country':
        return this.strings.get(c.country[p] ?? 0);
      case 'geo.region':
        return this.strings.get(c.region[p] ?? 0);
      case 'geo.city':
        return this.strings.get(c.city[p] ?? 0);
      case 'device.type':
        return this.strings.get(c.deviceType[p] ?? 0);
      case 'device.os':
        return this.strings.get(c.os[p] ?? 0);
      case 'device.browser':
        return this.strings.get(c.browser[p] ?? 0);
      case 'visits':
        return c.visits[p];
      case 'pageviews':
        return c.pageviews[p];
      case 'first_seen':
        return orUndefined(c.firstSeen[p]);
      case 'last_seen':
        return orUndefined(c.lastSeen[p]);
      default:
        return undefined;
    }
  }

  hasId(type: string): boolean {
    return this.ids.hasType(this.p, type);
  }

  countRealisations(traitId: number, afterExclusive: number, atOrBefore: number): number {
    const n = this.reader.load(this.p);
    const { trait, ts } = this.reader;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const t = ts[i] ?? 0;
      if (t <= afterExclusive) break;
      if (t <= atOrBefore && trait[i] === traitId) c++;
    }
    return c;
  }

  realisationTimes(traitId: number): number[] {
    const n = this.reader.load(this.p);
    const { trait, ts } = this.reader;
    const out: number[] = [];
    for (let i = n - 1; i >= 0; i--) if (trait[i] === traitId) out.push(ts[i] ?? 0);
    return out;
  }
}

/** NaN (no event recorded yet) as undefined. */
function orUndefined(value: number | undefined): number | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : value;
}
