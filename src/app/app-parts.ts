import type { DestinationStream, Logger } from 'pino';
import type { BatchRunnerDeps } from '../activate/runs/batch-runner.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../log/event-log.ts';
import type { OnboardingOptions } from '../onboard/onboarding-service.ts';
import type { Stores } from './open-stores.ts';
import type { Recovered } from './recover.ts';

/**
 * Settings for tests and benchmarks that configuration does not carry (e.g. quick retries).
 * Example: `{ batchRunner: { retry: { baseMs: 1 }, scheduleTickMs: 50 }, logStream: stream }`.
 */
export interface AppOptions {
  batchRunner?: Pick<BatchRunnerDeps, 'retry' | 'requestTimeoutMs' | 'scheduleTickMs' | 'http'>;
  onboarding?: OnboardingOptions;
  /** the event log as the program uses it: a test may wrap the file log (e.g. slow appends, a slow disk) */
  wrapLog?: (log: EventLog) => EventLog;
  /** where the log lines go (default: standard output): a test reads what a log would keep */
  logStream?: DestinationStream;
}

/**
 * What each step of the composition root builds on: the configuration, the clock, the logger (made
 * first), the adapters (`openStores`) and the state recovery rebuilt (`recover`).
 *
 * Example: `const parts = { config, clock, logger, stores, state, options }; await buildServices(parts);`
 */
export interface AppParts {
  config: Config;
  clock: Clock;
  logger: Logger;
  stores: Stores;
  state: Recovered;
  options: AppOptions;
}
