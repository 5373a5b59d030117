import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCidrList } from '../core/net/address-policy.ts';
import { parseTrustProxy } from './trust-proxy-setting.ts';
import type { LogLocation } from './log-location.ts';
import { parseLogLocation } from './log-location.ts';
import type { TrustProxySetting } from './trust-proxy-setting.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/**
 * The one place that reads `process.env`. Each part of the program is given only the values it needs.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | DMP_DATA | ./data | data folder (catalog, event log) |
 * | DMP_CATALOG | DMP_DATA/catalog.sqlite | the catalog: a `postgres://` URL (shared by several processes, ADR 32) or a SQLite file |
 * | DMP_LOG | (the data folder's `log/`) | the event log in NATS JetStream: `nats://HOST:PORT[,nats://...][?stream=NAME&replicas=1\|3]` (ADR 33) |
 * | DMP_PARTITIONS | 8 | profile partitions of a NATS event log (the same for every process of a deployment) |
 * | DMP_ROLE | all | `dmp serve --role`: `all` (the embedded server), or `collector`, `worker`, `api` of a scaled-out deployment (ADR 35) |
 * | DMP_WORKER_ID | `<hostname>-<pid>` | a worker's name in the partition leases, unique in the deployment |
 * | DMP_ADVERTISE_URL | `http://HOST:PORT` it listens on | where the API servers reach a worker |
 * | DMP_LEASE_TTL_MS | 6000 | a worker's partition leases last this long unless renewed: a dead worker's partitions move after it |
 * | DMP_STOP_LIMIT_MS | 20000 | the longest a scaled-out process's clean stop may take before it exits anyway (code 1) |
 * | DMP_PORT | 8080 | HTTP port |
 * | DMP_HOST | 127.0.0.1 | address to listen on |
 * | DMP_LOG_LEVEL | info | pino level (silent, error, warn, info, debug) |
 * | DMP_PROFILE_LIFETIME_DAYS | 120 | a profile unseen this long is removed |
 * | DMP_RETENTION_INTERVAL_S | 60 | how often the retention sweep runs: old log files are removed each time, expired profiles and realisations at most once an hour (not at start) |
 * | DMP_SCHEDULE_TICK_S | 30 | how often the run schedules are checked (a destination with `schedule.everyMinutes` runs at the first check after it is due) |
 * | DMP_RAW_EVENT_RETENTION_DAYS | longest trait lifetime | how long raw events stay in the log (for backfill) |
 * | DMP_GVL_FILE | assets/consent/gvl-v3-tcf22-vendor-list.json | the TCF Global Vendor List to check vendors against |
 * | DMP_PUBLIC_HOST | opendmp.local | the name our entries carry in bid requests (`user.data[].name`) |
 * | DMP_RATE_LIMIT_API | 6000 | management API requests per minute per API key (0: no limit) |
 * | DMP_RATE_LIMIT_COLLECT | 60000 | collection requests per minute per client IP (0: no limit) |
 * | DMP_RATE_LIMIT_AUTH_FAILURES | 20 | failed API-key attempts per minute per client IP; over it, every API request from that IP gets 429 until the minute is over (0: no limit) |
 * | DMP_TRUST_PROXY | (none) | proxies whose `X-Forwarded-For`/`-Proto` count: addresses and CIDR ranges (comma-separated; also `loopback`, `linklocal`, `uniquelocal`), or a hop count; unset: no proxy is trusted |
 * | DMP_METRICS_TOKEN | (none) | `/metrics` answers only `Authorization: Bearer TOKEN`; unset: `/metrics` is off (404) |
 * | DMP_RATE_LIMIT_OPTOUT | 10 | public opt-outs (`POST /optout`) per minute per client IP (0: no limit) |
 * | DMP_SERVER_SECRET | (the file server-secret in the data folder, made at first start) | signs visitor tokens and the opt-out form's token; at least 32 characters, the same on every server of a deployment |
 * | DMP_SNAPSHOT_EVERY_RECORDS | 1000000 | write a profile snapshot after this many log records (0: only at a clean stop) |
 * | DMP_DEDUP_WINDOW_DAYS | 7 | how long an accepted event `id` is remembered (by arrival time), so a retry is not applied twice; at least 7 |
 * | DMP_MAX_WAIT_MS | 3000 | a collection request that would wait longer for the disk is answered 503 with Retry-After at once (0: never) |
 * | DMP_ALLOW_PRIVATE_DESTINATIONS | (none) | address ranges (CIDR, comma-separated) that http destinations may reach besides public addresses, for partners on premises; cloud metadata addresses stay refused |
 */
export interface Config {
  dataDir: string;
  /** where the catalog is: a `postgres://` URL or a SQLite file (default: `catalog.sqlite` in the data folder) */
  catalog: string;
  /** where the event log is: the data folder's files, or a NATS JetStream stream */
  log: LogLocation;
  port: number;
  host: string;
  logLevel: string;
  profileLifetimeDays: number;
  retentionIntervalMs: number;
  /** how often the run schedules are checked */
  scheduleTickMs: number;
  rateLimits: RateLimits;
  /** undefined: as long as the longest trait lifetime needs them for backfill */
  rawEventRetentionDays: number | undefined;
  gvlFile: string;
  publicHost: string;
  /** log records between periodic profile snapshots; 0: only at a clean stop */
  snapshotEveryRecords: number;
  /** days an accepted event `id` is remembered, by arrival time (API: at least 7) */
  dedupWindowDays: number;
  /** the longest a collection request may wait for the disk before a 503; 0: no limit in time */
  maxWaitMs: number;
  /** DMP_SERVER_SECRET; undefined: the data folder's server-secret file */
  serverSecret?: string;
  /** ranges (CIDR) outgoing connections may reach besides public addresses (`src/core/net/address-policy.ts`) */
  allowPrivateDestinations: string[];
  /** which peers may set the client's address and protocol (`X-Forwarded-*`); false: none */
  trustProxy: TrustProxySetting;
  /** the bearer token `/metrics` asks for; undefined: `/metrics` is off */
  metricsToken: string | undefined;
  /** this process's part of a scaled-out deployment (ADR 35) */
  scaleOut: ScaleOutSettings;
}

/** DMP_ROLE, DMP_WORKER_ID, DMP_ADVERTISE_URL, DMP_LEASE_TTL_MS, DMP_STOP_LIMIT_MS: unset ones are undefined. */
export interface ScaleOutSettings {
  role?: string;
  workerId?: string;
  advertiseUrl?: string;
  leaseTtlMs?: number;
  stopLimitMs?: number;
}

/**
 * This process's name in a scaled-out deployment: `DMP_WORKER_ID`, else `<hostname>-<pid>` (a new name
 * at each start). Example: `processName({ workerId: 'api1' })` -> `'api1'`.
 */
export function processName(settings: ScaleOutSettings): string {
  return settings.workerId ?? `${hostname()}-${process.pid}`;
}

/** Requests per minute; 0 switches a limit off. */
export interface RateLimits {
  apiPerKey: number;
  collectPerIp: number;
  /** public opt-outs per minute per client IP; undefined: 10 */
  optOutPerIp?: number;
  /** failed API-key attempts per minute per client IP; undefined: 20 */
  authFailuresPerIp?: number;
}

/**
 * The event log's location from the command line (`--log`, `--partitions`), else from DMP_LOG and
 * DMP_PARTITIONS; throws (`parseLogLocation`) on a value it cannot use.
 * Example: `logLocationOf('nats://127.0.0.1:4222', undefined)` -> `{ kind: 'nats', ..., partitions: 8 }`.
 */
export function logLocationOf(
  log: string | undefined,
  partitions: string | undefined,
  env: Record<string, string | undefined> = process.env,
): LogLocation {
  return parseLogLocation(log ?? env.DMP_LOG, partitions ?? env.DMP_PARTITIONS);
}

export function loadConfig(
  overrides: Partial<Config> = {},
  env: Record<string, string | undefined> = process.env,
): Config {
  return {
    dataDir: resolve(overrides.dataDir ?? env.DMP_DATA ?? './data'),
    catalog:
      overrides.catalog ??
      env.DMP_CATALOG ??
      join(resolve(overrides.dataDir ?? env.DMP_DATA ?? './data'), 'catalog.sqlite'),
    log: overrides.log ?? parseLogLocation(env.DMP_LOG, env.DMP_PARTITIONS),
    port: overrides.port ?? intFrom(env.DMP_PORT, 8080, 'DMP_PORT'),
    host: overrides.host ?? env.DMP_HOST ?? '127.0.0.1',
    logLevel: overrides.logLevel ?? env.DMP_LOG_LEVEL ?? 'info',
    profileLifetimeDays:
      overrides.profileLifetimeDays ??
      intFrom(env.DMP_PROFILE_LIFETIME_DAYS, 120, 'DMP_PROFILE_LIFETIME_DAYS'),
    retentionIntervalMs:
      overrides.retentionIntervalMs ??
      intFrom(env.DMP_RETENTION_INTERVAL_S, 60, 'DMP_RETENTION_INTERVAL_S') * 1000,
    scheduleTickMs:
      overrides.scheduleTickMs ?? intFrom(env.DMP_SCHEDULE_TICK_S, 30, 'DMP_SCHEDULE_TICK_S') * 1000,
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
    dedupWindowDays: overrides.dedupWindowDays ?? dedupWindowFrom(env.DMP_DEDUP_WINDOW_DAYS),
    maxWaitMs: overrides.maxWaitMs ?? intFrom(env.DMP_MAX_WAIT_MS, 3000, 'DMP_MAX_WAIT_MS'),
    allowPrivateDestinations:
      overrides.allowPrivateDestinations ?? rangesFrom(env.DMP_ALLOW_PRIVATE_DESTINATIONS),
    serverSecret: overrides.serverSecret ?? env.DMP_SERVER_SECRET,
    trustProxy: overrides.trustProxy ?? parseTrustProxy(env.DMP_TRUST_PROXY),
    metricsToken: overrides.metricsToken ?? (env.DMP_METRICS_TOKEN || undefined),
    scaleOut: overrides.scaleOut ?? {
      ...(env.DMP_ROLE ? { role: env.DMP_ROLE } : {}),
      ...(env.DMP_WORKER_ID ? { workerId: env.DMP_WORKER_ID } : {}),
      ...(env.DMP_ADVERTISE_URL ? { advertiseUrl: env.DMP_ADVERTISE_URL } : {}),
      ...(env.DMP_LEASE_TTL_MS
        ? { leaseTtlMs: intFrom(env.DMP_LEASE_TTL_MS, 6000, 'DMP_LEASE_TTL_MS') }
        : {}),
      ...(env.DMP_STOP_LIMIT_MS
        ? { stopLimitMs: intFrom(env.DMP_STOP_LIMIT_MS, 20_000, 'DMP_STOP_LIMIT_MS') }
        : {}),
    },
    rateLimits: overrides.rateLimits ?? {
      apiPerKey: intFrom(env.DMP_RATE_LIMIT_API, 6000, 'DMP_RATE_LIMIT_API'),
      collectPerIp: intFrom(env.DMP_RATE_LIMIT_COLLECT, 60000, 'DMP_RATE_LIMIT_COLLECT'),
      optOutPerIp: intFrom(env.DMP_RATE_LIMIT_OPTOUT, 10, 'DMP_RATE_LIMIT_OPTOUT'),
      authFailuresPerIp: intFrom(env.DMP_RATE_LIMIT_AUTH_FAILURES, 20, 'DMP_RATE_LIMIT_AUTH_FAILURES'),
    },
  };
}

function rangesFrom(text: string | undefined): string[] {
  const read = parseCidrList(text ?? '');
  if (!read.ok) throw new Error(`DMP_ALLOW_PRIVATE_DESTINATIONS: ${read.error}`);
  return read.ranges;
}

/** The public API promises that an event `id` is remembered at least 7 days: less is refused. */
function dedupWindowFrom(text: string | undefined): number {
  const days = intFrom(text, 7, 'DMP_DEDUP_WINDOW_DAYS');
  if (days < 7)
    throw new Error(
      `DMP_DEDUP_WINDOW_DAYS=${text} is under 7 days, the least the API promises for retries; give 7 or more`,
    );
  return days;
}

function intFrom(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name}=${text} is not a whole number; unset it or give one`);
  return n;
}
