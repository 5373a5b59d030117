import type { ChunkContext } from './chunk-builder.ts';
import { CodeTable } from './code-table.ts';
import type { OnboardRows } from './onboard-rows.ts';
import { RowsBuilder } from './onboard-rows.ts';

/** The time of the test jobs: 2026-11-20T12:00:00Z. */
export const TEST_NOW = Date.parse('2026-11-20T12:00:00Z');

/**
 * A chunk context for tests: traits `t1`..`t9` are ids 1..9 (integration codes `IAB1`..`IAB9` too),
 * IDs starting with `out-` opted out. Example: `testContext('full').traitId('IAB3')` -> `3`.
 */
export function testContext(mode: 'full' | 'delta' = 'delta', idType = 'uid'): ChunkContext {
  return {
    mode,
    idType,
    now: TEST_NOW,
    maxAgeMs: 120 * 86_400_000,
    maxFutureMs: 300_000,
    traits: new CodeTable(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [[`t${n}`, n] as const, [`IAB${n}`, n] as const]),
    ),
    optedOut: (_type, id) => id.startsWith('out-'),
  };
}

/** A row as a plain object: its ID type, ID, time (null: none) and signed trait ids. */
export interface PlainRow {
  type: string;
  id: string;
  time: number | null;
  traits: number[];
}

/**
 * Rows built from plain objects (`plainRows` reversed). Example: `rowsFrom([{ type: 'uid', id: 'c-1', time: null, traits: [1] }])`.
 */
export function rowsFrom(rows: readonly PlainRow[]): OnboardRows {
  const b = new RowsBuilder();
  for (const r of rows) {
    b.begin(r.type, r.id, r.time ?? NaN);
    for (const t of r.traits) b.trait(t);
    b.commit();
  }
  return b.rows();
}

/**
 * The rows as plain objects, for comparisons. Example: `plainRows(rows)` -> `[{ type: 'uid', id: 'c-1', time: null, traits: [1, -2] }]`.
 */
export function plainRows(rows: OnboardRows): PlainRow[] {
  const out = [];
  for (let i = 0; i < rows.count; i++) {
    const time = rows.times[i] as number;
    out.push({
      type: rows.types[i] as string,
      id: rows.ids[i] as string,
      time: Number.isNaN(time) ? null : time,
      traits: [...rows.traits.subarray(rows.start[i], rows.start[i + 1])],
    });
  }
  return out;
}
