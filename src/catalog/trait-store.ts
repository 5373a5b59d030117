/** How a trait is realised: by its rule on events, or from onboarded files, partners or models. */
export type TraitKind = 'rule' | 'onboarded' | 'third-party' | 'algorithmic';

/** One rule of a trait and the log position from which it applies. */
export interface TraitVersion {
  version: number;
  rule: string;
  /** the rule's JSON form (docs/rule-language.md), kept so that it need not be parsed again */
  ruleJson: unknown;
  /**
   * Events with log sequence >= this are tested against this version (until the next version).
   * A version saved with backfill has 0: it applies to every stored event, and earlier versions no longer do.
   */
  fromSeq: number;
}

/**
 * A trait as stored, with the versions of its rule still in force.
 *
 * Example: `{ id: 7, code: 'pricing_visitor', name: 'Visited pricing', kind: 'rule', rule: 'url.path startsWith "/pricing"', ..., versions: [{ version: 1, fromSeq: 42, ... }] }`
 */
export interface Trait {
  id: number;
  code: string;
  name: string;
  kind: TraitKind;
  /** the current rule text; empty for traits that are not rule-based */
  rule: string;
  ruleJson: unknown;
  lifetimeDays: number;
  folder: string;
  /** the data source's code */
  source: string;
  integrationCode?: string;
  description?: string;
  /** the versions still in force, oldest first (after the latest backfill) */
  versions: TraitVersion[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A trait to create. Defaults: kind `rule`, 120 days, no folder, source `first-party`.
 *
 * Example: `{ code: 'pricing_visitor', name: 'Visited pricing', rule: 'url.path startsWith "/pricing"', ruleJson: ast }`
 */
export interface TraitInput {
  code: string;
  name: string;
  kind?: TraitKind;
  rule: string;
  ruleJson: unknown;
  lifetimeDays?: number;
  folder?: string;
  /** a data source code; `first-party`, `second-party` and `third-party` exist in every tenant */
  source?: string;
  integrationCode?: string;
  description?: string;
}

/**
 * Traits and the versions of their rules. Trait IDs are integers unique across tenants and never
 * reused. A new rule from log position `fromSeq` ends every version that would start at or after it,
 * since none of those can apply to any event any more; so a backfill (`fromSeq` 0) leaves the new
 * version alone, and two saves at the same position keep the later. An optional text patched to `''`
 * is cleared.
 *
 * Example:
 * ```ts
 * await traits.createTrait('acme', { code: 'pricing_visitor', name: 'Visited pricing', rule, ruleJson }, 42);
 * await traits.updateTrait('acme', 'pricing_visitor', { rule: 'url.path == "/pricing"', ruleJson }, 0);
 * // versions: [{ version: 2, fromSeq: 0, ... }]
 * ```
 */
export interface TraitStore {
  /** The tenant's traits in creation order, each with its versions. */
  listTraits(tenant: string): Promise<Trait[]>;
  getTrait(tenant: string, code: string): Promise<Trait | undefined>;
  /**
   * `fromSeq`: the log position the first version applies from (0 with backfill). `conflict` for a code
   * taken, `invalid` for an unknown data source (naming the known ones) or a bad field.
   */
  createTrait(tenant: string, input: TraitInput, fromSeq: number): Promise<Trait>;
  /**
   * Changes a trait. A new rule becomes a new version from `fromSeq`; with `backfill` (fromSeq 0) it
   * replaces every earlier version. A new rule needs its `ruleJson`; the same rule with a new `ruleJson`
   * (re-parsed) changes the latest version in place.
   */
  updateTrait(
    tenant: string,
    code: string,
    patch: Partial<Omit<TraitInput, 'code'>>,
    fromSeq: number,
  ): Promise<Trait>;
  /** Deletes the trait and its versions; `not_found` when there is none. */
  deleteTrait(tenant: string, code: string): Promise<void>;
}
