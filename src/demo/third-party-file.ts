import { Prng, hash2 } from './prng.ts';
import { WeightedPicker, geometric, zipfWeights } from './sampling.ts';
import { profileUid } from '../core/demo-uid.ts';

/**
 * What the demo's third-party file holds. Example: `{ profiles: 20_000, seed: 1, traitCodes: ['iab_1', ...] }`.
 */
export interface ThirdPartyFileOptions {
  /** one row per demo profile 0..profiles-1, keyed by its uid */
  profiles: number;
  seed: number;
  /** the traits to draw from; their popularity is Zipf (s = 1.1) in a seeded order */
  traitCodes: readonly string[];
  /** mean traits per row (geometric, capped at 40); default 10 */
  meanTraits?: number;
  /** rows per yielded piece of text; default 10,000 */
  rowsPerPiece?: number;
}

/**
 * The demo's third-party data as a CSV file (`id,traits`, traits joined by `|`), in pieces of text, the
 * same for the same options: each demo profile holds about 10 distinct traits, Zipf-popular.
 * Example: `Readable.from(thirdPartyCsv({ profiles: 1000, seed: 1, traitCodes }))` is an upload body.
 */
export function* thirdPartyCsv(options: ThirdPartyFileOptions): Generator<string> {
  const { profiles, traitCodes } = options;
  const seed = options.seed >>> 0;
  if (traitCodes.length === 0) throw new RangeError('traitCodes must not be empty');
  const order = [...traitCodes];
  const shuffle = new Prng(hash2(seed, 0x69616221));
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffle.int(i + 1);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const picker = new WeightedPicker(zipfWeights(order.length, 1.1));
  const perPiece = options.rowsPerPiece ?? 10_000;
  const mean = options.meanTraits ?? 10;
  const held = new Set<number>();
  let piece = 'id,traits\n';
  for (let p = 0; p < profiles; p++) {
    const rng = new Prng(hash2(seed ^ 0x33707479, p));
    const k = Math.min(geometric(rng, mean, 40), order.length);
    held.clear();
    for (let tries = 0; held.size < k && tries < k * 20; tries++) held.add(picker.draw(rng));
    let line = profileUid(seed, p) + ',';
    let first = true;
    for (const rank of held) {
      line += first ? (order[rank] as string) : `|${order[rank] as string}`;
      first = false;
    }
    piece += `${line}\n`;
    if ((p + 1) % perPiece === 0) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}
