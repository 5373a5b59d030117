import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.ts';

/**
 * The results as a text table for the terminal.
 * Example: `formatTable(results)` -> `'path | size | ours | peer | unit | ratio | target | met\n...'`.
 */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['path', 'size', 'ours', 'peer', 'unit', 'ratio', 'target', 'met'];
  const rows = results.map((r) => [
    r.path,
    r.size,
    figure(r.ours),
    figure(r.peer),
    r.unit,
    r.ratio === null ? '-' : `${r.ratio >= 10 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}x`,
    r.target,
    r.met === null ? '-' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const notes = results.filter((r) => r.note !== undefined).map((r) => `  ${r.path}: ${r.note ?? ''}`);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    '',
    'notes:',
    ...notes,
    '',
  ].join('\n');
}

function figure(n: number | null): string {
  if (n === null) return '-';
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 2 });
}

/**
 * Writes `bench/results/<ISO time>.json` and `bench/results/latest.json`; returns the first path.
 * Example: `await writeResults('bench/results', results, { quick: true })`.
 */
export async function writeResults(
  dir: string,
  results: readonly BenchResult[],
  meta: Record<string, unknown>,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const at = new Date().toISOString();
  const text = `${JSON.stringify({ at, ...meta, results }, null, 2)}\n`;
  const file = join(dir, `${at.replaceAll(':', '-')}.json`);
  await writeFile(file, text);
  await writeFile(join(dir, 'latest.json'), text);
  return file;
}
