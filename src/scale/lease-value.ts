/**
 * What the lease bucket holds (ADR 35): key `p.<n>` is partition n's lease, its value the JSON of a
 * `LeaseHolder`; key `w.<worker>` is a worker's heartbeat, its value the JSON of a `WorkerBeat`. Lease
 * ends are epoch milliseconds in the value (nats-server 2.9 has no per-key TTL), so every reader decides
 * "expired" by comparing `until` with its own clock.
 */
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/** The bucket of the leases when none is named. */
export const DEFAULT_LEASE_BUCKET = 'dmp-leases';

/**
 * Who holds a partition's lease, until when, and where its HTTP server answers.
 *
 * Example: `{ worker: 'w1', url: 'http://10.0.0.5:8080', until: 1765100000000 }`
 */
export interface LeaseHolder {
  worker: string;
  url: string;
  /** the lease end, epoch ms: expired when `until < now` */
  until: number;
}

/**
 * A worker's heartbeat: the worker counts as live while `until >= now`.
 *
 * Example: `{ url: 'http://10.0.0.5:8080', until: 1765100000000 }`
 */
export interface WorkerBeat {
  url: string;
  until: number;
}

/**
 * The key of partition n's lease.
 *
 * Example: `leaseKey(3) // 'p.3'`
 */
export function leaseKey(partition: number): string {
  return `p.${partition}`;
}

/**
 * The key of a worker's heartbeat.
 *
 * Example: `beatKey('w1') // 'w.w1'`
 */
export function beatKey(worker: string): string {
  return `w.${worker}`;
}

/**
 * The partition of a lease key, or undefined for any other key.
 *
 * Example: `partitionOfKey('p.3') // 3`
 */
export function partitionOfKey(key: string): number | undefined {
  const match = /^p\.(\d+)$/.exec(key);
  return match === null ? undefined : Number(match[1]);
}

/**
 * The worker of a heartbeat key, or undefined for any other key.
 *
 * Example: `workerOfKey('w.w1') // 'w1'`
 */
export function workerOfKey(key: string): string | undefined {
  return key.startsWith('w.') ? key.slice(2) : undefined;
}

/**
 * Throws unless `worker` can be part of a KV key: letters, digits, `-`, `_`, `=` and `/`, in
 * dot-separated words (a host name works).
 *
 * Example: `checkWorkerId('worker-1.example.org')`
 */
export function checkWorkerId(worker: string): void {
  if (!/^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$/.test(worker))
    throw new RangeError(
      `worker id ${JSON.stringify(worker)} cannot be a NATS KV key: use letters, digits, '-', '_', '=' and '/', in words joined by dots`,
    );
}

/**
 * A lease value read from the bucket, or undefined when it is not one (unreadable values count as free).
 *
 * Example: `parseLeaseHolder('{"worker":"w1","url":"http://h:1","until":5}') // { worker: 'w1', ... }`
 */
export function parseLeaseHolder(text: string): LeaseHolder | undefined {
  const value = parseObject(text);
  if (value === undefined) return undefined;
  const { worker, url, until } = value;
  if (typeof worker !== 'string' || typeof url !== 'string' || !Number.isFinite(until)) return undefined;
  return { worker, url, until: until as number };
}

/**
 * A heartbeat value read from the bucket, or undefined when it is not one.
 *
 * Example: `parseWorkerBeat('{"url":"http://h:1","until":5}') // { url: 'http://h:1', until: 5 }`
 */
export function parseWorkerBeat(text: string): WorkerBeat | undefined {
  const value = parseObject(text);
  if (value === undefined) return undefined;
  const { url, until } = value;
  if (typeof url !== 'string' || !Number.isFinite(until)) return undefined;
  return { url, until: until as number };
}

/**
 * True when a KV write failed its compare-and-set (the key is at another revision than the one given):
 * someone else wrote it, which waiting will not change.
 *
 * Example: `try { await kv.update(key, value, rev) } catch (e) { if (isWrongRevision(e)) lost() }`
 */
export function isWrongRevision(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/**
 * True when a JetStream request failed because the stream (here: the bucket) does not exist.
 *
 * Example: `if (isMissingBucket(error)) return; // no worker has created it yet`
 */
export function isMissingBucket(error: unknown): boolean {
  return (
    (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) ||
    (error instanceof Error && error.message === 'stream not found')
  );
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
