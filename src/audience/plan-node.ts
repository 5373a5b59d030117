import type { ScanRange } from './fast-scan-test.ts';
import type { WindowPlan } from '../core/rules/trait-window.ts';
import type { ValuePath } from './value-bitmaps.ts';

/** A numeric column scanned from the profile store. Example: `'visits'`. */
export type ScanPath = 'visits' | 'pageviews' | 'first_seen' | 'last_seen';

/**
 * A node of a bitmap plan (see `compilePlan`). Every node's members are a subset of the live profiles;
 * `not` is the complement within them.
 *
 * Example: `trait:pricing_visitor[within 30d] and visits >= 2` ->
 * `{ kind: 'and', args: [{ kind: 'trait', traitId: 1, ... }, { kind: 'scan', path: 'visits', ... }] }`.
 */
export type PlanNode =
  | { kind: 'and' | 'or'; args: PlanNode[] }
  | { kind: 'not'; arg: PlanNode }
  /** no profile (an unbound trait or segment, an invalid regex, a test false on an absent path) */
  | { kind: 'none' }
  /** every live profile (a test true on an absent path, e.g. `ids.maid != "x"`) */
  | { kind: 'all' }
  | { kind: 'trait'; traitId: number; lifetimeMs: number; windows: WindowPlan }
  | { kind: 'segment'; segmentId: number }
  /** a test on a value-indexed attribute, run once per distinct value (and once for absent) */
  | { kind: 'value'; path: ValuePath; test: (v: string | undefined) => boolean }
  /** a test on a numeric column (NaN times are absent), run per profile */
  | {
      kind: 'scan';
      path: ScanPath;
      test: (v: number | undefined, now: number) => boolean;
      /** the same test as an interval of values, when it is one (`scanRange`) */
      range?: ((now: number) => ScanRange) | undefined;
    }
  /** `ids.<type> exists`, a scan */
  | { kind: 'id'; type: string };

/**
 * The relative cost of answering a node, for ordering the arguments of `and` (cheapest first, each
 * narrowing the candidates of the next). Example: `planCost({ kind: 'value', ... })` -> `1`.
 */
export function planCost(node: PlanNode): number {
  switch (node.kind) {
    case 'none':
    case 'all':
      return 0;
    case 'value':
    case 'segment':
      return 1;
    case 'trait':
      return node.windows.counts.length === 0 ? 2 : 3;
    case 'scan':
    case 'id':
      return 4;
    case 'not':
      return planCost(node.arg);
    case 'and':
    case 'or':
      return Math.max(...node.args.map(planCost));
  }
}
