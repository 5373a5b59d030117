import { join, resolve } from 'node:path';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/**
 * The one place that reads `process.env`. Each part of the program is given only the values it needs.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | DMP_DATA | ./data | data folder (catalog, event log) |
 * | DMP_PORT | 8080 | HTTP port |
 * | DMP_HOST | 127.0.0.1 | address to listen on |
 * | DMP_LOG_LEVEL | info | pino level (silent, error, warn, info, debug) |
 * | DMP_PROFILE_LIFETIME_DAYS | 120 | a profile unseen this long is removed |
 * | DMP_RETENTION_INTERVAL_S | 60 | how often the retention sweep runs: old log files are removed each time, expired profiles and realisations at most once an hour (not at start) |
 * | DMP_RAW_EVENT_RETENTION_DAYS | longest trait lifetime | how long raw events stay in the log (for backfill) |
 * | DMP_GVL_FILE | assets/consent/gvl-v3-tcf22-vendor-list.json | the TCF Global Vendor List to check vendors against |
 * | DMP_PUBLIC_HOST | opendmp.local | the name our entries carry in bid requests (`user.data[].name`) |
 * | DMP_RATE_LIMIT_API | 6000 | management API requests per minute per API key (0: no limit) |
 * | DMP_RATE_LIMIT_COLLECT | 60000 | collection requests per minute per client IP (0: no limit) |
 * | DMP_SNAPSHOT_EVERY_RECORDS | 1000000 | write a profile snapshot after this many log records (0: only at a clean stop) |
 */
export interface Config {
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
  profileLifetimeDays: number;
  retentionIntervalMs: number;
  rateLimits: RateLimits;
  /** undefined: as long as the longest trait lifetime needs them for backfill */
  rawEventRetentionDays: number | undefined;
  gvlFile: string;
  publicHost: string;
  /** log records between periodic profile snapshots; 0: only at a clean stop */
  snapshotEveryRecords: number;
}

/** Requests per minute; 0 switches a limit off. */
export interface RateLimits {
  apiPerKey: number;
  collectPerIp: number;
}

export function loadConfig(
  overrides: Partial<Config> = {},
  env: Record<string, string | undefined> = process.env,
): Config {
  return {
    dataDir: resolve(overrides.dataDir ?? env.DMP_DATA ?? './data'),
    port: overrides.port ?? intFrom(env.DMP_PORT, 8080, 'DMP_PORT'),
    host: overrides.host ?? env.DMP_HOST ?? '127.0.0.1',
    logLevel: overrides.logLevel ?? env.DMP_LOG_LEVEL ?? 'info',
    profileLifetimeDays:
      overrides.profileLifetimeDays ??
      intFrom(env.DMP_PROFILE_LIFETIME_DAYS, 120, 'DMP_PROFILE_LIFETIME_DAYS'),
    retentionIntervalMs:
      overrides.retentionIntervalMs ??
      intFrom(env.DMP_RETENTION_INTERVAL_S, 60, 'DMP_RETENTION_INTERVAL_S') * 1000,
    rawEventRetentionDays:
      overrides.rawEventRetentionDays ??
      (env.DMP_RAW_EVENT_RETENTION_DAYS
        ? intFrom(env.DMP_RAW_EVENT_RETENTION_DAYS, 0, 'DMP_RAW_EVENT_RETENTION_DAYS')
        : undefined),
    gvlFile: resolve(
      overrides.gvlFile ??
        env.DMP_GVL_FILE ??
        join(PROJECT_ROOT, 'assets', 'consent', 'gvl-v3-tcf22-vendor-list.json'),
    ),
    publicHost: overrides.publicHost ?? env.DMP_PUBLIC_HOST ?? 'opendmp.local',
    snapshotEveryRecords:
      overrides.snapshotEveryRecords ??
      intFrom(env.DMP_SNAPSHOT_EVERY_RECORDS, 1_000_000, 'DMP_SNAPSHOT_EVERY_RECORDS'),
    rateLimits: overrides.rateLimits ?? {
      apiPerKey: intFrom(env.DMP_RATE_LIMIT_API, 6000, 'DMP_RATE_LIMIT_API'),
      collectPerIp: intFrom(env.DMP_RATE_LIMIT_COLLECT, 60000, 'DMP_RATE_LIMIT_COLLECT'),
    },
  };
}

function intFrom(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name}=${text} is not a whole number; unset it or give one`);
  return n;
}
