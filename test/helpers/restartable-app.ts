import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import type { TestApp } from './test-app.ts';
import { startTestApp } from './test-app.ts';

/** A test app on a data folder of its own, restarted by the test (`restartableApp`). */
export interface RestartableApp {
  /** the app running now */
  readonly h: TestApp;
  readonly clock: ReturnType<typeof manualClock>;
  /** a clean stop (a snapshot is written) and a start on the same folder; returns the new app */
  restart(): Promise<TestApp>;
}

/**
 * Starts the app on a new temporary folder at the manual time `now`; after the test the running app is
 * closed and the folder removed. For tests of what a restart keeps (log replay, snapshots).
 *
 * Example:
 * ```ts
 * const r = await restartableApp(t, NOW, 'opendmp-merge-');
 * let h = r.h;
 * ...
 * h = await r.restart(); // the same data, a new process state
 * ```
 */
export async function restartableApp(
  t: { after(fn: () => Promise<void>): void },
  now: number,
  prefix: string,
): Promise<RestartableApp> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const clock = manualClock(now);
  let h = await startTestApp(clock, dir);
  t.after(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get h() {
      return h;
    },
    clock,
    async restart() {
      await h.close();
      h = await startTestApp(clock, dir);
      return h;
    },
  };
}
