/** Per tenant: the number of the last catalog read begun, and of the read whose rules are installed. */
interface TenantReads {
  begun: number;
  installed: number;
}

/** A catalog read of a tenant's rules, numbered in the order the reads began. */
export interface RuleRead {
  /** whether no read begun after this one has installed its rules (then this one may install) */
  newest(): boolean;
  /** records that this read's rules are installed */
  installed(): void;
}

const byWriter = new WeakMap<object, Map<string, TenantReads>>();

/**
 * Numbers the reads of a tenant's rules from the catalog made for one rule writer (the qualify
 * service), so that a read which began earlier never installs over one which began later: with several
 * processes on one catalog, this process's own trait service and the catalog follower
 * (`app/follow-catalog.ts`) read at once, and the one that began later saw every write the other saw.
 *
 * Example:
 * ```ts
 * const read = beginRuleRead(qualify, 'acme');
 * const traits = await catalog.listTraits('acme');
 * if (read.newest()) { qualify.setRules('acme', traits, segments); read.installed(); }
 * ```
 */
export function beginRuleRead(writer: object, tenant: string): RuleRead {
  let tenants = byWriter.get(writer);
  if (tenants === undefined) byWriter.set(writer, (tenants = new Map<string, TenantReads>()));
  let reads = tenants.get(tenant);
  if (reads === undefined) tenants.set(tenant, (reads = { begun: 0, installed: 0 }));
  const held = reads;
  const number = ++held.begun;
  return {
    newest: () => number > held.installed,
    installed: () => {
      held.installed = number;
    },
  };
}
