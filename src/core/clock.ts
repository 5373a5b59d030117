/** The time source. Services take a Clock so that tests can move time (windows expire with no new event). */
export interface Clock {
  /** epoch milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests. Example: `const c = manualClock(t0); c.advance(60_000);` */
export function manualClock(start: number): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
