import type { App } from '../src/app.ts';
import type { CollectedEvent } from '../src/core/event.ts';
import type { Rule } from '../src/core/rules/index.ts';
import { compileTraitRule } from '../src/core/rules/index.ts';
import type { LogRecord } from '../src/log/event-log.ts';
import { RoaringAudienceIndex } from '../src/audience/roaring-audience-index.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { cpuMs, interleave, median } from './measure.ts';

/**
 * Streaming qualification alone: `app.qualify.apply` over already enriched events, with the tenant's
 * traits and segments, against the same `apply` testing every trait rule (compiled to closures) on every
 * event: both sides resolve the profile, record the event, add realisations and keep the audience index
 * and the membership cache current alike; only how the rules are found and tested differs. Each round
 * applies the events to a fresh tenant on each side; the first round checks both realised the same
 * (trait, count). Example: `await qualifyBench(t.app, t.tenant, t.kept, 3)`.
 */
export async function qualifyBench(
  app: App,
  tenant: string,
  events: readonly CollectedEvent[],
  rounds: number,
): Promise<BenchResult[]> {
  const [traits, segments] = await Promise.all([
    app.catalog.listTraits(tenant),
    app.catalog.listSegments(tenant),
  ]);
  // compiled once for every round, as ours are (compileTraitRuleSource memoises by rule)
  const closures = new WeakMap<Rule, (event: CollectedEvent) => boolean>();
  const naive = (rule: Rule): ((event: CollectedEvent) => boolean) => {
    let test = closures.get(rule);
    if (test === undefined) closures.set(rule, (test = compileTraitRule(rule)));
    return test;
  };
  let round = 0;
  const checked: { ours?: Map<number, number>; peer?: Map<number, number> } = {};
  const run = (side: 'ours' | 'peer'): number => {
    const name = `${tenant}-qualify-${side}-${side === 'ours' ? ++round : round}`;
    const rules = app.qualify.setRules(name, traits, segments);
    if (side === 'peer') rules.testEveryRule(naive);
    const index = app.qualify.audience(name).index;
    const records: LogRecord[] = events.map((event) => ({ kind: 'event', tenant: name, event }));
    const t = cpuMs();
    for (let i = 0; i < records.length; i++) app.qualify.apply(i + 1, records[i]!);
    // the bitmap additions buffered for the next read are part of the work
    if (index instanceof RoaringAudienceIndex) index.settle();
    const ms = cpuMs() - t;
    if (round === 1) checked[side] = realisedPerTrait(app, name);
    return events.length / (ms / 1000);
  };
  const figures = await interleave(
    rounds,
    () => run('ours'),
    () => run('peer'),
  );
  sameAnswer('streaming qualification (realisations per trait)', sorted(checked.ours), sorted(checked.peer));
  const realisations = [...(checked.ours?.values() ?? [])].reduce((a, b) => a + b, 0);
  return [
    row({
      path: 'streaming qualification (event -> traits)',
      size: `${count(events.length)} events, ${traits.length} traits, ${segments.length} segments`,
      ours: Math.round(median(figures.ours)),
      peer: Math.round(median(figures.peer)),
      unit: 'events/s/core',
      better: 'higher',
      target: '>= 500k/s/core; ratio >= 10 (naive)',
      meets: (o, r) => o >= 500_000 && r !== null && r >= 10,
      note: `${count(realisations)} realisations; segments are evaluated at lookup time, not here; median of ${rounds}`,
    }),
  ];
}

function realisedPerTrait(app: App, tenant: string): Map<number, number> {
  const profiles = app.qualify.profilesOf(tenant);
  const realised = new Map<number, number>();
  profiles.forEach((p) => {
    for (const s of profiles.traitSummaries(p))
      realised.set(s.traitId, (realised.get(s.traitId) ?? 0) + s.count);
  });
  return realised;
}

function sorted(map: Map<number, number> | undefined): [number, number][] {
  return [...(map ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
}
