import { distance } from 'fastest-levenshtein';

/**
 * The nearest known name when it is close enough to be a typo, else `undefined`.
 * Example: `nearest('pricing_vistor', ['pricing_visitor', 'purchaser'])` -> `'pricing_visitor'`.
 */
export function nearest(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `"; did you mean 'x'?"` or `''`. Example: `didYouMean('vists', ['visits'])` -> `"; did you mean 'visits'?"`. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const n = nearest(name, known);
  return n === undefined ? '' : `; did you mean '${n}'?`;
}
