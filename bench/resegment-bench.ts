import type { App } from '../src/app.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { DuckCopy } from './duck-export.ts';
import { median } from './measure.ts';
import { TraitCounts, ruleToSql, withCounts } from './rule-to-sql.ts';
import { benchSegments, round2 } from './size-bench.ts';

/**
 * Batch re-segmentation: the size of every segment (`app.segments.sizesOfAll`), against one DuckDB
 * query counting every segment. Sizes must match. Row: median wall ms over `reps` alternate runs.
 * Example: `await resegmentBench(t.app, t.tenant, duck, 1)`.
 */
export async function resegmentBench(
  app: App,
  tenant: string,
  duck: DuckCopy,
  reps: number,
): Promise<BenchResult[]> {
  const segments = benchSegments(app, tenant, Infinity);
  const counts = new TraitCounts();
  const filters = segments.map((s) => `count(*) FILTER (WHERE ${ruleToSql(s.rule, duck.sql, counts)})`);
  const query = withCounts(counts, `SELECT ${filters.join(', ')} FROM ${counts.from()}`);
  const ours: number[] = [];
  const peer: number[] = [];
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    const all = new Map(app.segments.sizesOfAll(tenant).sizes.map((s) => [s.code, s.size]));
    const sizes = segments.map((s) => all.get(s.code) ?? -1);
    ours.push(performance.now() - t);
    t = performance.now();
    const duckSizes = await duck.numbers(query);
    peer.push(performance.now() - t);
    if (r === 0) {
      const named = (list: number[]): string[] => list.map((n, i) => `${segments[i]?.code}=${n}`);
      sameAnswer(`sizes of all ${segments.length} segments`, named(sizes), named(duckSizes));
    }
  }
  return [
    row({
      path: `batch re-segmentation of ${segments.length} segments`,
      size: `${count(duck.profiles)} profiles`,
      ours: round2(median(ours)),
      peer: round2(median(peer)),
      unit: 'ms',
      better: 'lower',
      target: '<= 10 s at 10M (scaled to the size)',
      meets: (o) => o <= 10_000 * (duck.profiles / 10_000_000),
      note: `median of ${reps}; ours: every segment evaluated once at one moment; DuckDB: one query, every segment`,
    }),
  ];
}
