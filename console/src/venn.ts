/**
 * The seven regions of a three-set Venn diagram, from the sizes of the three sets, their pairwise
 * overlaps and the triple intersection (inclusion and exclusion). Pure, so that it is tested alone.
 */

/** What the overlap of three segments gives: sizes `[a, b, c]`, the pairs and the triple intersection. */
export interface ThreeSets {
  sizes: readonly [number, number, number];
  /** profiles in a and b, in a and c, in b and c */
  ab: number;
  ac: number;
  bc: number;
  /** profiles in all three */
  abc: number;
}

/** The count of each region: `a` is "in a only", `ab` is "in a and b, not c", `abc` is "in all three". */
export interface VennRegions {
  a: number;
  b: number;
  c: number;
  ab: number;
  ac: number;
  bc: number;
  abc: number;
}

/** The region names in the order the diagram and its table list them. */
export const REGION_NAMES = ['a', 'b', 'c', 'ab', 'ac', 'bc', 'abc'] as const;
export type RegionName = (typeof REGION_NAMES)[number];

/**
 * The seven region counts of three sets.
 * Example: `vennRegions({ sizes: [10, 8, 6], ab: 4, ac: 3, bc: 2, abc: 1 })`
 * -> `{ a: 4, b: 3, c: 2, ab: 3, ac: 2, bc: 1, abc: 1 }`.
 * Throws when the figures cannot come from three sets (a region would be negative).
 */
export function vennRegions(s: ThreeSets): VennRegions {
  const [a, b, c] = s.sizes;
  const regions: VennRegions = {
    a: a - s.ab - s.ac + s.abc,
    b: b - s.ab - s.bc + s.abc,
    c: c - s.ac - s.bc + s.abc,
    ab: s.ab - s.abc,
    ac: s.ac - s.abc,
    bc: s.bc - s.abc,
    abc: s.abc,
  };
  const negative = REGION_NAMES.filter((name) => regions[name] < 0);
  if (negative.length > 0) {
    throw new RangeError(`these overlaps cannot come from three sets: region(s) ${negative.join(', ')} < 0`);
  }
  return regions;
}

/**
 * The number of profiles in at least one of the three sets: the sum of the seven regions.
 * Example: `unionOf({ a: 4, b: 3, c: 2, ab: 3, ac: 2, bc: 1, abc: 1 })` -> `16`.
 */
export function unionOf(r: VennRegions): number {
  return REGION_NAMES.reduce((sum, name) => sum + r[name], 0);
}

/**
 * The words of a region for the diagram's table and titles, with the segment codes.
 * Example: `regionLabel('ab', ['x', 'y', 'z'])` -> `'in x and y, not z'`.
 */
export function regionLabel(name: RegionName, codes: readonly [string, string, string]): string {
  const index = { a: 0, b: 1, c: 2 } as const;
  const inside = [...name].map((letter) => codes[index[letter as 'a' | 'b' | 'c']]);
  const outside = codes.filter((code) => !inside.includes(code));
  if (outside.length === 0) return `in all three (${inside.join(', ')})`;
  if (inside.length === 1) return `in ${inside[0] ?? ''} only`;
  return `in ${inside.join(' and ')}, not ${outside.join(' or ')}`;
}

/**
 * A share as the console writes it: one decimal under 10 %, whole percents above; "–" of nothing.
 * Example: `percentOf(1, 3)` -> `'33%'`; `percentOf(1, 40)` -> `'2.5%'`; `percentOf(0, 0)` -> `'–'`.
 */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0) return '–';
  const p = (part / whole) * 100;
  return p > 0 && p < 10 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/**
 * The rule of the profiles in all three segments, in the rule language.
 * Example: `allThree(['a', 'b', 'c'])` -> `'segment:a and segment:b and segment:c'`.
 */
export function allThree(codes: readonly [string, string, string]): string {
  return codes.map((code) => `segment:${code}`).join(' and ');
}
