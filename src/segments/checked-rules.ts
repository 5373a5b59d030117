import type { AudiencePlan } from '../audience/audience-index.ts';
import type { Rule } from '../core/rules/index.ts';
import type { CheckContext } from '../core/rules/scope.ts';
import type { TenantAudience } from '../qualify/tenant-audience.ts';
import type { TenantRules } from '../qualify/tenant-rules.ts';
import { checkContextOf } from '../qualify/rules-loader.ts';
import { checkRuleInput } from '../qualify/rule-input.ts';

/** A rule as checked and compiled against one `TenantRules`. */
export interface CheckedRule {
  rule: Rule;
  text: string;
  plan: AudiencePlan;
}

/** Rules remembered per `TenantRules`; the oldest are dropped past this many. */
const MAX_RULES = 256;

interface Entry {
  audience: TenantAudience;
  ctx: CheckContext;
  byInput: Map<string, CheckedRule>;
}

/**
 * Checked and compiled rules per tenant rules, keyed by the rule's text (or its JSON form as text): a
 * rule sized again (the console re-sizes the rule being edited) is neither parsed, checked nor compiled
 * again. A `TenantRules` is immutable (any trait or segment change makes a new one), so its entry is
 * never stale; plans hold no `now` and no bitmap, so they stay exact as time passes and data changes.
 * Errors are not remembered: a bad rule throws its `ServiceError` every time.
 *
 * Example: `checkedRules.of(rules, audience, 'visits >= 2').plan` -> the plan to size.
 */
export class CheckedRules {
  private readonly byRules = new WeakMap<TenantRules, Entry>();

  of(rules: TenantRules, audience: TenantAudience, input: unknown): CheckedRule {
    let entry = this.byRules.get(rules);
    if (entry === undefined || entry.audience !== audience) {
      entry = { audience, ctx: checkContextOf(rules, 'profile'), byInput: new Map() };
      this.byRules.set(rules, entry);
    }
    const key = keyOf(input);
    const known = key === undefined ? undefined : entry.byInput.get(key);
    if (known !== undefined) return known;
    const { rule, text } = checkRuleInput(input, entry.ctx);
    const checked = { rule, text, plan: audience.compile(rule, rules) };
    if (key === undefined) return checked;
    if (entry.byInput.size >= MAX_RULES) {
      const oldest = entry.byInput.keys().next();
      if (oldest.done !== true) entry.byInput.delete(oldest.value);
    }
    entry.byInput.set(key, checked);
    return checked;
  }
}

/** The cache key of a rule input; `undefined` (not cached) when it has no JSON text. */
function keyOf(input: unknown): string | undefined {
  if (typeof input === 'string') return `t${input}`;
  try {
    const json = JSON.stringify(input) as string | undefined;
    return json === undefined ? undefined : `j${json}`;
  } catch {
    return undefined;
  }
}
