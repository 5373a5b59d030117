import type { App } from '../src/app.ts';
import type { BenchResult } from './bench-result.ts';
import { count, row, sameAnswer } from './bench-result.ts';
import type { DuckCopy } from './duck-export.ts';
import { median } from './measure.ts';
import { TraitCounts, ruleToSql } from './rule-to-sql.ts';
import { benchSegments, round2 } from './size-bench.ts';

/**
 * Overlap matrix of `k` segments: `app.segments.overlap` against one DuckDB query computing every pair.
 * Matrices must match. Row: median wall ms over `reps` alternate runs.
 * Example: `await overlapBench(t.app, t.tenant, duck, 20, 3)`.
 */
export async function overlapBench(
  app: App,
  tenant: string,
  duck: DuckCopy,
  k: number,
  reps: number,
): Promise<BenchResult[]> {
  const segments = benchSegments(app, tenant, k);
  const codes = segments.map((s) => s.code);
  const counts = new TraitCounts();
  const members = segments.map((s, i) => `${ruleToSql(s.rule, duck.sql, counts)} AS s${i}`);
  const pairs: [number, number][] = [];
  for (let i = 0; i < codes.length; i++) for (let j = i; j < codes.length; j++) pairs.push([i, j]);
  const memberTable = `m AS (SELECT ${members.join(', ')} FROM ${counts.from()})`;
  const cells = pairs.map(([i, j]) => `count(*) FILTER (WHERE s${i} AND s${j})`);
  const query = `WITH ${[counts.cte(), memberTable].filter((c) => c !== undefined).join(', ')} SELECT ${cells.join(', ')} FROM m`;
  const ours: number[] = [];
  const peer: number[] = [];
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    const answer = app.segments.overlap(tenant, codes);
    ours.push(performance.now() - t);
    t = performance.now();
    const cells = await duck.numbers(query);
    peer.push(performance.now() - t);
    if (r === 0) {
      const matrix = codes.map(() => new Array<number>(codes.length).fill(0));
      pairs.forEach(([i, j], n) => {
        matrix[i]![j] = cells[n]!;
        matrix[j]![i] = cells[n]!;
      });
      sameAnswer(`overlap of ${codes.length} segments`, answer.overlap, matrix);
    }
  }
  return [
    row({
      path: `overlap matrix of ${codes.length} segments`,
      size: `${count(duck.profiles)} profiles`,
      ours: round2(median(ours)),
      peer: round2(median(peer)),
      unit: 'ms',
      better: 'lower',
      target: '<= 200 ms at 10M (scaled to the size)',
      meets: (o) => o <= 200 * (duck.profiles / 10_000_000),
      note: `median of ${reps}; DuckDB: one query, every pair`,
    }),
  ];
}
