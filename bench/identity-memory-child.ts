/**
 * The measuring side of the identity memory bench, one process per figure under `--expose-gc`, so
 * that nothing else is in its heap (measured in one process, sizes after the first came out tens of
 * megabytes off either way). It builds, for `PROFILES` profiles of `benchIds` (in random order, each
 * ID learnt at one time), either the ID index the profile store uses (`index`: `IdIndex`) or the peer
 * (`map`: a `Map` from `TYPE\0VALUE`, a flat string, to the profile), after a small warm-up build so
 * that compiled code is not counted, and prints one JSON line: the bytes it holds (heap used + array
 * buffers after full collections, with it held, minus the same once it is dropped: a baseline taken
 * before the build moved by megabytes as start-up garbage went), the IDs held and their own bytes
 * (UTF-8 of the values), and for the index where its bytes go, from its arrays' capacities.
 * Run: `node --expose-gc --import tsx bench/identity-memory-child.ts index|map PROFILES`
 */
import { IdIndex } from '../src/profiles/id-index.ts';
import { benchIds, ownBytes, random, shuffled } from './identity-ids.ts';

const LEARNT_AT = Date.UTC(2026, 10, 20);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

/** Heap used plus array buffers after full collections (synchronous: a suspended async frame may keep a dropped value). */
function used(): number {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** What one child measured. */
export interface ChildFigures {
  side: 'index' | 'map';
  profiles: number;
  held: number;
  /** the values' UTF-8 bytes, all IDs */
  own: number;
  /** heap used + array buffers with the index or map held, minus the same once it is dropped */
  bytes: number;
  /** the index only: its arrays by capacity, in bytes (entries, table, arena used and slack, list heads) */
  parts?: Record<string, number>;
}

/** The index's arrays (private fields, read for the breakdown only). */
interface IndexInternals {
  bytes: Uint8Array;
  bytesUsed: number;
  offset: Uint32Array;
  head: Int32Array;
  table: { slots: Int32Array };
}

function buildIndex(order: Uint32Array): IdIndex {
  const ids = new IdIndex({ seed: 1 });
  ids.ensureProfiles(order.length);
  for (const i of order) for (const [type, value] of benchIds(i)) ids.attach(i, type, value, LEARNT_AT);
  return ids;
}

function buildMap(order: Uint32Array): Map<string, number> {
  const map = new Map<string, number>();
  for (const i of order)
    for (const [type, value] of benchIds(i))
      map.set(Buffer.from(`${type}\u0000${value}`, 'latin1').toString('latin1'), i);
  return map;
}

/** Where the index's bytes go, from its arrays' capacities. */
function partsOf(ids: IdIndex, own: number): Record<string, number> {
  const inner = ids as unknown as IndexInternals;
  return {
    'entries (20 B x capacity)': 20 * inner.offset.length,
    'table (4 B x slots)': 4 * inner.table.slots.length,
    'key length and type (used)': inner.bytesUsed - own,
    'key arena slack (capacity - used)': inner.bytes.length - inner.bytesUsed,
    'list heads (4 B x capacity)': 4 * inner.head.length,
  };
}

const [side = '', count = ''] = process.argv.slice(2);
const profiles = Number(count);
if ((side !== 'index' && side !== 'map') || !Number.isInteger(profiles) || profiles < 1)
  throw new Error(`usage: identity-memory-child.ts index|map PROFILES (got ${side} ${count})`);
const order = shuffled(profiles, random(7));
let own = 0;
for (let i = 0; i < profiles; i++) own += ownBytes(benchIds(i));
// warm-up: compile the build's code, so that its code is not counted
if (side === 'index') buildIndex(shuffled(1_000, random(1)));
else buildMap(shuffled(1_000, random(1)));
const { held, parts, withIt } = buildAndMeasure();
// measured once the build's frame is gone: a live frame's registers may still hold what it made
const without = used();
const figures: ChildFigures = { side, profiles, held, own, bytes: withIt - without };
if (parts !== undefined) figures.parts = parts;
process.stdout.write(`${JSON.stringify(figures)}\n`);

/** Builds the side's structure, measures with it held, and lets it go on return. */
function buildAndMeasure(): { held: number; parts?: Record<string, number>; withIt: number } {
  if (side === 'index') {
    const ids = buildIndex(order);
    return { held: ids.size(), parts: partsOf(ids, own), withIt: used() };
  }
  const map = buildMap(order);
  return { held: map.size, withIt: used() };
}
