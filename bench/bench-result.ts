/**
 * One row of the benchmark table: a hot path measured against its peer, side by side in the same run.
 * `ratio` is always "times better than the peer" (above 1: ours wins), whatever the unit's direction;
 * `target` says, in words, what the row must reach; `met` is that test applied (null when it cannot be).
 *
 * Example: `{ path: 'qualify', size: '20,000 events', ours: 812_000, peer: 9_500, unit: 'events/s/core',
 *   ratio: 85.5, target: '>= 500k/s and >= 10x naive', met: true }`
 */
export interface BenchResult {
  path: string;
  size: string;
  ours: number | null;
  peer: number | null;
  unit: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

/** What a bench needs to say about its figures; `row` turns it into a `BenchResult`. */
export interface RowInput {
  path: string;
  size: string;
  ours: number | null;
  peer: number | null;
  unit: string;
  /** `lower` for costs (us, ms, bytes), `higher` for rates (events/s) */
  better: 'lower' | 'higher';
  target: string;
  /** the target as a test of our figure and the ratio; omitted: `met` is null */
  meets?: (ours: number, ratio: number | null) => boolean;
  note?: string;
}

/**
 * Builds a row, computing the ratio as "times better than the peer".
 * Example: `row({ path: 'p', size: '1', ours: 2, peer: 10, unit: 'ms', better: 'lower', target: '>= 5x', meets: (_o, r) => r !== null && r >= 5 })`
 * -> `{ ..., ratio: 5, met: true }`
 */
export function row(input: RowInput): BenchResult {
  const { ours, peer } = input;
  let ratio: number | null = null;
  if (ours !== null && peer !== null && ours > 0 && peer > 0) {
    ratio = input.better === 'lower' ? peer / ours : ours / peer;
  }
  const met = input.meets === undefined || ours === null ? null : input.meets(ours, ratio);
  const result: BenchResult = {
    path: input.path,
    size: input.size,
    ours,
    peer,
    unit: input.unit,
    ratio,
    target: input.target,
    met,
  };
  if (input.note !== undefined) result.note = input.note;
  return result;
}

/** A row for a path that cannot be measured yet: no figure at all, never a made-up one. Example: `notBuilt('file onboarding', '...')`. */
export function notBuilt(path: string, target: string, note = 'not built'): BenchResult {
  return { path, size: '-', ours: null, peer: null, unit: '-', ratio: null, target, met: null, note };
}

/**
 * Throws when the two sides of a bench did not compute the same answer: a speed comparison of two
 * different computations means nothing. Example: `sameAnswer('size of audience_12', 4_211, 4_211)`.
 */
export function sameAnswer(what: string, ours: unknown, peer: unknown): void {
  const a = JSON.stringify(ours);
  const b = JSON.stringify(peer);
  if (a !== b) {
    throw new Error(
      `bench ${what}: ours and the peer disagree, so their speeds cannot be compared:\n  ours: ${clip(a)}\n  peer: ${clip(b)}`,
    );
  }
}

function clip(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

/** Example: `count(1234567)` -> `'1,234,567'`. */
export function count(n: number): string {
  return n.toLocaleString('en');
}
