import type { Prng } from './prng.ts';
import { WeightedPicker } from './sampling.ts';

/** A device as the collector reports it (names as ua-parser-js gives them). */
export interface DemoDevice {
  type: string;
  os: string;
  browser: string;
}

/** Device types and their shares of profiles: desktop 45%, mobile 45%, tablet 8%, other 2%. */
export const DEVICE_TYPE_SHARES: Readonly<Record<string, number>> = {
  desktop: 0.45,
  mobile: 0.45,
  tablet: 0.08,
  other: 0.02,
};

/** Plausible os/browser pairs within each type, with weights within the type. */
// prettier-ignore
const COMBOS: Readonly<Record<string, readonly (readonly [string, string, number])[]>> = {
  desktop: [['Windows', 'Chrome', 45], ['Windows', 'Edge', 15], ['Windows', 'Firefox', 7], ['Mac OS', 'Safari', 14], ['Mac OS', 'Chrome', 12], ['Linux', 'Firefox', 3], ['Chrome OS', 'Chrome', 4]],
  mobile: [['iOS', 'Mobile Safari', 45], ['Android', 'Chrome', 40], ['Android', 'Samsung Browser', 10], ['iOS', 'Chrome', 5]],
  tablet: [['iOS', 'Mobile Safari', 65], ['Android', 'Chrome', 30], ['Android', 'Samsung Browser', 5]],
  other: [['Tizen', 'Samsung Browser', 40], ['PlayStation', 'NetFront', 30], ['KaiOS', 'Firefox', 30]],
};

/** Every device, flattened; a profile stores its index into this list. */
export const DEVICES: readonly DemoDevice[] = Object.entries(COMBOS).flatMap(([type, combos]) =>
  combos.map(([os, browser]) => ({ type, os, browser })),
);

const devicePicker = new WeightedPicker(
  Object.entries(COMBOS).flatMap(([type, combos]) => {
    const total = combos.reduce((sum, [, , w]) => sum + w, 0);
    return combos.map(([, , w]) => ((DEVICE_TYPE_SHARES[type] ?? 0) * w) / total);
  }),
);

/**
 * Draws an index into `DEVICES`: 45% desktop, 45% mobile, 8% tablet, 2% other.
 * Example: `DEVICES[drawDevice(rng)]` -> `{ type: "mobile", os: "iOS", browser: "Mobile Safari" }`
 */
export function drawDevice(rng: Prng): number {
  return devicePicker.draw(rng);
}
