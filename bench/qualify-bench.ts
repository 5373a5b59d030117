import type { App } from '../src/app.ts';
import type { CollectedEvent } from '../src/core/event.ts';
import type { Rule } from '../src/core/rules/index.ts';
import { compileTraitRule } from '../src/core/rules/index.ts';
import type { LogRecord } from '../src/log/event-log.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import { cpuMs, interleave, median } from './measure.ts';

interface NaiveRule {
  traitId: number;
  test: (event: CollectedEvent) => boolean;
}

/**
 * Streaming qualification alone: `app.qualify.apply` over already enriched events, with the tenant's
 * traits and segments, against every compiled trait rule tested on every event. Each round applies the
 * events to a fresh tenant on each side; the first round checks both realised the same (trait, count).
 * Example: `await qualifyBench(t.app, t.tenant, t.kept, 3)`.
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
  const naive: NaiveRule[] = traits.flatMap((trait) =>
    trait.kind !== 'rule'
      ? []
      : trait.versions.map((v) => ({ traitId: trait.id, test: compileTraitRule(v.ruleJson as Rule) })),
  );
  let round = 0;
  const checked: { ours?: Map<number, number>; peer?: Map<number, number> } = {};
  const ours = (): number => {
    const name = `${tenant}-qualify-${++round}`;
    app.qualify.setRules(name, traits, segments);
    const records: LogRecord[] = events.map((event) => ({ kind: 'event', tenant: name, event }));
    const t = cpuMs();
    for (let i = 0; i < records.length; i++) app.qualify.apply(i + 1, records[i]!);
    const ms = cpuMs() - t;
    if (round === 1) checked.ours = realisedPerTrait(app, name);
    return events.length / (ms / 1000);
  };
  const peer = (): number => {
    const profiles = app.qualify.profilesOf(`${tenant}-naive-${round}`);
    const realised = new Map<number, number>();
    const t = cpuMs();
    for (const event of events) {
      const p = profiles.resolve(event.uid, event.ids, true);
      if (p === undefined) continue;
      profiles.recordEvent(p, event);
      for (const rule of naive) {
        if (rule.test(event)) {
          profiles.addRealisation(p, rule.traitId, event.ts);
          realised.set(rule.traitId, (realised.get(rule.traitId) ?? 0) + 1);
        }
      }
    }
    const ms = cpuMs() - t;
    if (round === 1) checked.peer = realised;
    return events.length / (ms / 1000);
  };
  const figures = await interleave(rounds, ours, peer);
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
