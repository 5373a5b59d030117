import { DASHBOARD_TOP } from '../../governance/dashboard.ts';
import { RATE_WINDOW_S } from '../../ingest/event-rate.ts';
import { arrayOf, intOf, objectOf, stringOf, sumOf, where, withLatest } from './answer-fields.ts';

/** The client's `top`, and the `top` each partition was asked for (both default to `DASHBOARD_TOP`). */
export interface DashboardRequest {
  top?: number;
  partitionTop?: number;
}

/** A segment of a partition's top list. */
interface Listed {
  code: string;
  name: string;
  size: number;
}

/** What the partitions' top lists say of one segment: its size is at least `low`, at most `high`. */
interface Candidate {
  code: string;
  name: string;
  low: number;
  high: number;
}

/**
 * The merge of `GET /v1/dashboard`: live profiles and events over the last minute add up; events per
 * second are recomputed from the summed minute as `Dashboard.of` (src/governance/dashboard.ts) does,
 * `Math.round((events / RATE_WINDOW_S) * 100) / 100`, not added (each is rounded); the top segments are
 * re-ranked from the summed sizes (`mergeTopSegments`); the latest changes are the first answer's (they
 * come from the shared catalog); `asOf` is the latest.
 *
 * Example: `mergeDashboard(route, [a, b])` -> `{ profiles: a.profiles + b.profiles, eventsLastMinute: ..., topSegments: ..., recentChanges: a.recentChanges }`.
 */
export function mergeDashboard(
  route: string,
  bodies: readonly Record<string, unknown>[],
  request: DashboardRequest = {},
): Record<string, unknown> {
  const events = sumOf(route, bodies, 'eventsLastMinute');
  const merged = {
    ...bodies[0],
    eventsPerSecond: Math.round((events / RATE_WINDOW_S) * 100) / 100,
    eventsLastMinute: events,
    profiles: sumOf(route, bodies, 'profiles'),
    topSegments: mergeTopSegments(
      route,
      bodies.map((b, k) => objectOf(where(route, k), b.topSegments, "'topSegments'")),
      request,
    ),
  };
  return withLatest(merged, bodies, 'asOf');
}

/**
 * The dashboard's largest segments over all partitions, largest first, ties by code (as `Dashboard`
 * ranks them), the client's `top` of them. Each partition lists only its `partitionTop` largest (a front
 * asks for all, `MAX_DASHBOARD_TOP`), so a segment missing from one list is known only to be no larger
 * there than that list's last size. A segment is placed only when the lists prove its place: its summed
 * size is exact (listed everywhere it can hold anyone) and beats what every segment not yet placed could
 * reach. With at most `partitionTop` segments that is always the whole list; otherwise the list may stop
 * short, and `detail` says so (it never shows a size or an order it cannot prove).
 *
 * Example: two partitions listing `[{ code: 'a', size: 5 }]` and `[{ code: 'a', size: 2 }]` (total 1) -> `{ total: 1, sized: true, segments: [{ code: 'a', size: 7 }] }`.
 */
export function mergeTopSegments(
  route: string,
  tops: readonly Record<string, unknown>[],
  { top = DASHBOARD_TOP, partitionTop = DASHBOARD_TOP }: DashboardRequest = {},
): Record<string, unknown> {
  const first = tops[0] ?? {};
  if (tops.some((t) => t.sized !== true)) return first;
  const total = intOf(where(route, 0), first, 'total');
  const lists = tops.map((top, k) => listOf(route, k, top));
  // what a segment missing from list i can hold there: 0 when the list is every segment
  const bounds = lists.map((list) =>
    list.length < partitionTop || list.length >= total ? 0 : Math.min(...list.map((s) => s.size)),
  );
  const candidates = new Map<string, Candidate>();
  lists.forEach((list) => {
    for (const s of list) {
      candidates.set(s.code, { code: s.code, name: s.name, low: 0, high: 0 });
    }
  });
  for (const candidate of candidates.values()) {
    lists.forEach((list, i) => {
      const listed = list.find((s) => s.code === candidate.code);
      candidate.low += listed?.size ?? 0;
      candidate.high += listed?.size ?? bounds[i] ?? 0;
    });
  }
  // a segment in no list at all can hold at most every list's bound
  const unlisted = candidates.size < total ? bounds.reduce((a, b) => a + b, 0) : -1;
  const placed: Listed[] = [];
  const left = [...candidates.values()];
  while (placed.length < Math.min(top, total) && left.length > 0) {
    const next = left
      .filter((c) => c.low === c.high)
      .sort((a, b) => b.low - a.low || compareCodes(a.code, b.code))[0];
    if (next === undefined) break;
    const beatsAll = left.every(
      (c) => c === next || next.low > c.high || (next.low === c.high && compareCodes(next.code, c.code) < 0),
    );
    if (!beatsAll || next.low <= unlisted) break;
    placed.push({ code: next.code, name: next.name, size: next.low });
    left.splice(left.indexOf(next), 1);
  }
  const merged: Record<string, unknown> = { ...first, total, sized: true, segments: placed };
  if (placed.length < Math.min(top, total)) {
    merged.detail =
      `the partitions' top ${partitionTop} lists prove only the ${placed.length} largest segment(s) ` +
      'over all partitions; GET /v1/segments/{code}/size gives any segment its exact size';
  }
  return merged;
}

function listOf(route: string, k: number, top: Record<string, unknown>): Listed[] {
  const at = where(route, k);
  return arrayOf(at, top, 'segments').map((raw, i) => {
    const s = objectOf(at, raw, `topSegments.segments[${i}]`);
    return { code: stringOf(at, s, 'code'), name: stringOf(at, s, 'name'), size: intOf(at, s, 'size') };
  });
}

/** Code order as `Dashboard` compares codes (UTF-16 code units, not the locale). */
function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
