import type { Rule } from '../core/rules/index.ts';
import { durationMs } from '../core/rules/index.ts';
import type { ProfileView } from '../core/rules/scope.ts';

/**
 * Which `within` windows a tenant's segment rules use, per trait and on `first_seen` / `last_seen`: the
 * only ways membership changes as time passes with no new event (absolute dates do not move).
 */
export interface TimeSensitivity {
  /** trait code -> window lengths (ms) used on it anywhere */
  traitWindows: Map<string, Set<number>>;
  firstSeen: Set<number>;
  lastSeen: Set<number>;
}

/** Collects the windows of rules. Example: `timeSensitivityOf([rule])`. */
export function timeSensitivityOf(rules: Iterable<Rule>): TimeSensitivity {
  const out: TimeSensitivity = { traitWindows: new Map(), firstSeen: new Set(), lastSeen: new Set() };
  const visit = (rule: Rule): void => {
    switch (rule.type) {
      case 'and':
      case 'or':
        rule.args.forEach(visit);
        return;
      case 'not':
        visit(rule.arg);
        return;
      case 'trait': {
        const set = out.traitWindows.get(rule.code) ?? new Set<number>();
        for (const w of rule.windows) if (w.type === 'within') set.add(durationMs(w.duration));
        out.traitWindows.set(rule.code, set);
        return;
      }
      case 'time':
        if (rule.op === 'within') {
          if (rule.path === 'first_seen') out.firstSeen.add(durationMs(rule.duration));
          if (rule.path === 'last_seen') out.lastSeen.add(durationMs(rule.duration));
        }
        return;
      default:
        return;
    }
  };
  for (const rule of rules) visit(rule);
  return out;
}

/**
 * The first instant after `now` at which any segment answer of this profile could change with no new
 * event: a realisation leaving a window or its trait's lifetime, a future realisation entering, or
 * first/last seen leaving a `within` window. Membership computed at `now` holds until then.
 * Example: a realisation at t of a trait used as `[within 30d]` bounds it by t + 30d.
 */
export function stableUntil(
  view: ProfileView,
  now: number,
  sensitivity: TimeSensitivity,
  /** the traits the profile holds */
  traits: readonly { id: number; code: string; lifetimeMs: number }[],
): number {
  let until = Infinity;
  const consider = (instant: number): void => {
    if (instant > now && instant < until) until = instant;
  };
  for (const trait of traits) {
    const windows = sensitivity.traitWindows.get(trait.code);
    if (windows === undefined) continue;
    for (const t of view.realisationTimes(trait.id)) {
      consider(t);
      consider(t + trait.lifetimeMs);
      for (const d of windows) consider(t + d);
    }
  }
  const first = view.attribute('first_seen');
  const last = view.attribute('last_seen');
  for (const [value, windows] of [
    [first, sensitivity.firstSeen],
    [last, sensitivity.lastSeen],
  ] as const) {
    if (typeof value !== 'number' || windows.size === 0) continue;
    consider(value);
    for (const d of windows) consider(value + d);
  }
  return until;
}
