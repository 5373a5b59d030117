import type { ProfileView } from '../core/rules/scope.ts';
import type { IdIndex } from './id-index.ts';
import type { ProfileColumns } from './profile-columns.ts';
import type { RealisationArena } from './realisation-arena.ts';
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
  /** when set, the profile's realisations are grouped by trait on first use (many rules, one profile) */
  private indexed = false;
  private byTrait: Map<number, number[]> | undefined;

  constructor(
    private readonly columns: ProfileColumns,
    private readonly strings: StringTable,
    private readonly ids: IdIndex,
    private readonly arena: RealisationArena,
  ) {}

  /** Points this view at profile `p` and returns it. */
  at(p: number, indexed = false): this {
    this.p = p;
    this.indexed = indexed;
    this.byTrait = undefined;
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
    if (!this.indexed) return this.arena.count(this.p, traitId, afterExclusive, atOrBefore);
    this.byTrait ??= this.arena.timesByTrait(this.p);
    const times = this.byTrait.get(traitId);
    if (times === undefined) return 0;
    let n = 0;
    for (const t of times) {
      if (t <= afterExclusive) break;
      if (t <= atOrBefore) n++;
    }
    return n;
  }

  realisationTimes(traitId: number): number[] {
    return this.arena.times(this.p, traitId);
  }
}

/** NaN (no event recorded yet) as undefined. */
function orUndefined(value: number | undefined): number | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : value;
}
