import type { App } from '../src/app.ts';
import type { Rule } from '../src/core/rules/index.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { DuckCopy } from './duck-export.ts';
import { percentile } from './measure.ts';
import { sizeQuery } from './rule-to-sql.ts';

/**
 * The segments whose rules the sizing benches use: generated ones (2 to 8 clauses, a third with windows),
 * windowed ones first, at most `n`. Example: `benchSegments(app, 'bench', 20)` -> `[{ code, rule }, ...]`.
 */
export function benchSegments(app: App, tenant: string, n: number): { code: string; rule: Rule }[] {
  const all = [...app.qualify.rules(tenant).segmentDefinitions()].map((s) => ({
    code: s.code,
    rule: s.ruleJson as Rule,
  }));
  const windowed = all.filter((s) => JSON.stringify(s.rule).includes('"windows":[{'));
  const rest = all.filter((s) => !windowed.includes(s));
  return [...windowed, ...rest].slice(0, n);
}

/**
 * Exact size of a rule: `app.segments.sizeOfRule` (check, compile, count) against DuckDB running the
 * translated query over the same profiles and realisations; each rule `reps` times, alternately.
 * Sizes must match. Row: p50 wall ms over every run (a rule's later runs reuse its checked, compiled
 * plan); the note gives the first calls alone.
 * Example: `await sizeBench(t.app, t.tenant, duck, 20, 3)`.
 */
export async function sizeBench(
  app: App,
  tenant: string,
  duck: DuckCopy,
  rules: number,
  reps: number,
): Promise<BenchResult[]> {
  const segments = benchSegments(app, tenant, rules);
  const ours: number[] = [];
  const firstCalls: number[] = [];
  const peer: number[] = [];
  for (const segment of segments) {
    const query = sizeQuery(segment.rule, duck.sql);
    for (let i = 0; i < reps; i++) {
      let t = performance.now();
      const size = app.segments.sizeOfRule(tenant, segment.rule).size;
      ours.push(performance.now() - t);
      if (i === 0) firstCalls.push(performance.now() - t);
      t = performance.now();
      const [duckSize] = await duck.numbers(query);
      peer.push(performance.now() - t);
      if (i === 0) sameAnswer(`size of ${segment.code}`, size, duckSize);
    }
  }
  return [
    row({
      path: 'exact size of a rule, p50',
      size: `${count(duck.profiles)} profiles, ${count(duck.realisations)} realisations, ${segments.length} rules`,
      ours: round2(percentile(ours, 50)),
      peer: round2(percentile(peer, 50)),
      unit: 'ms',
      better: 'lower',
      target: 'p50 <= 20 ms at 10M; ratio >= 20 (DuckDB)',
      meets: (o, r) => r !== null && r >= 20 && o <= 20 * (duck.profiles / 10_000_000),
      note: `p99 ours ${round2(percentile(ours, 99))} ms, DuckDB ${round2(percentile(peer, 99))} ms; first call of each rule (checked and compiled, not yet cached) p50 ${round2(percentile(firstCalls, 50))} ms, p99 ${round2(percentile(firstCalls, 99))} ms; DuckDB uses every core, ours one; the 20 ms target is scaled to the size`,
    }),
  ];
}

/** Example: `round2(1.23456)` -> `1.23`. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
