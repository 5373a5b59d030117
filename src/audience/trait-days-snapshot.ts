import type { PartToWrite, SnapshotPart } from '../profiles/profile-store.ts';
import type { Bitmap } from './bitmap.ts';
import type { DayLevels } from './day-levels.ts';
import { deserializeAll, serializeAll } from './serialize-bitmaps.ts';

/** What a snapshot of `TraitDays` holds: day bitmaps and count levels by trait and day, the latest time. */
export interface TraitDaysContents {
  byTrait: Map<number, Map<number, Bitmap>>;
  levelsByTrait: Map<number, Map<number, DayLevels>>;
  /** an upper bound of the realisation times (Infinity: unknown) */
  latest: number;
}

/**
 * The parts: `audience.days.index` (Float64 triples: trait id, day, byte length) and
 * `audience.days.bitmaps` (each bitmap in Roaring's portable format, one after another, streamed: see
 * `serializeAll`), the same for the count levels (`audience.levels.*`, quadruples with the level), and
 * `audience.latest` (one Float64).
 */
export function traitDaysParts(c: TraitDaysContents): PartToWrite[] {
  const days: [traitId: number, day: number, bitmap: Bitmap][] = [];
  for (const [traitId, byDay] of c.byTrait)
    for (const [day, bitmap] of byDay) days.push([traitId, day, bitmap]);
  const levels: [traitId: number, day: number, k: number, bitmap: Bitmap][] = [];
  for (const [traitId, byDay] of c.levelsByTrait)
    for (const [day, list] of byDay)
      list.forEach((level, k) => {
        if (level !== undefined) levels.push([traitId, day, k, level]);
      });
  const [dayIndex, dayBytes] = serializeAll(days);
  const [levelIndex, levelBytes] = serializeAll(levels);
  return [
    { name: 'audience.days.index', bytes: dayIndex },
    { name: 'audience.days.bitmaps', pieces: dayBytes },
    { name: 'audience.levels.index', bytes: levelIndex },
    { name: 'audience.levels.bitmaps', pieces: levelBytes },
    { name: 'audience.latest', bytes: new Uint8Array(Float64Array.of(c.latest).buffer) },
  ];
}

/**
 * Reads `traitDaysParts` back; throws naming a missing or short part (a snapshot without the count
 * levels is refused: counts would be wrong). One without `audience.latest` (older) reads it as unknown.
 */
export function readTraitDaysParts(parts: readonly SnapshotPart[]): TraitDaysContents {
  const partOf = (name: string): SnapshotPart => {
    const found = parts.find((p) => p.name === name);
    if (found === undefined) throw new Error(`the audience snapshot has no part ${name}`);
    return found;
  };
  const part = (name: string): Uint8Array => partOf(name).bytes;
  const byTrait = new Map<number, Map<number, Bitmap>>();
  const levelsByTrait = new Map<number, Map<number, DayLevels>>();
  // one part at a time, each let go before the next is read (they may be read from the file on demand)
  deserializeAll(part('audience.levels.index'), partOf('audience.levels.bitmaps'), 4, (keys, bitmap) => {
    const [traitId = 0, day = 0, k = 0] = keys;
    let byDay = levelsByTrait.get(traitId);
    if (byDay === undefined) levelsByTrait.set(traitId, (byDay = new Map<number, DayLevels>()));
    let levels = byDay.get(day);
    if (levels === undefined) byDay.set(day, (levels = []));
    levels[k] = bitmap;
  });
  deserializeAll(part('audience.days.index'), partOf('audience.days.bitmaps'), 3, (keys, bitmap) => {
    const [traitId = 0, day = 0] = keys;
    let days = byTrait.get(traitId);
    if (days === undefined) byTrait.set(traitId, (days = new Map<number, Bitmap>()));
    days.set(day, bitmap);
  });
  const latest = parts.find((p) => p.name === 'audience.latest')?.bytes;
  return {
    byTrait,
    levelsByTrait,
    latest: latest?.byteLength === 8 ? (new Float64Array(latest.slice().buffer)[0] ?? Infinity) : Infinity,
  };
}
