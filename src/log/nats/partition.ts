/**
 * Which partition of the JetStream log a record goes to (ADR 0033). A record about one profile goes to
 * the partition of its profile key, `tenant` + `uid`, by a stable hash (32-bit FNV-1a of the UTF-8 of
 * `tenant \n uid`, modulo the partition count): the same key lands in the same partition in every
 * process and release, so a worker that owns a partition sees all of a profile's records. A record
 * about a whole tenant (onboard chunks, demo days, ID caps, ID links, and tombstones) has no profile
 * key and goes to the fixed partition `shared`, which every worker reads too. An onboard chunk an API
 * server split by visitor (ADR 0039) names its partition.
 */
import type { LogRecord } from '../event-log.ts';

/** The partition of tenant-level records. */
export const SHARED_PARTITION = 'shared';

/**
 * The profile key of a record, `{ tenant, uid }`, or `undefined` for a tenant-level record.
 *
 * Example: `profileKeyOf({ kind: 'delete', tenant: 't1', uid: 'c-1' }) // { tenant: 't1', uid: 'c-1' }`
 */
export function profileKeyOf(record: LogRecord): { tenant: string; uid: string } | undefined {
  switch (record.kind) {
    case 'event':
      return { tenant: record.tenant, uid: record.event.uid };
    case 'delete':
    case 'consent':
      return { tenant: record.tenant, uid: record.uid };
    case 'erased':
    case 'onboard':
    case 'demo':
    case 'identity':
    case 'links':
      return undefined;
  }
}

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `text`: stable across processes, platforms and releases.
 *
 * Example: `fnv1a('') // 2166136261`
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The partition token of a record: `0` .. `partitions - 1` by its profile key, or `shared`.
 *
 * Example: `partitionOf(record, 8) // '5' for an event of t1's visitor c-123; 'shared' for an onboard chunk`
 */
export function partitionOf(record: LogRecord, partitions: number): string {
  if (record.kind === 'onboard' && record.partition !== undefined) return String(record.partition);
  const key = profileKeyOf(record);
  if (key === undefined) return SHARED_PARTITION;
  return String(partitionOfVisitor(key.tenant, key.uid, partitions));
}

/**
 * The partition of a tenant's visitor, by its uid: where its records go and which worker holds it.
 *
 * Example: `partitionOfVisitor('t1', 'c-123', 8) // 5`
 */
export function partitionOfVisitor(tenant: string, uid: string, partitions: number): number {
  return fnv1a(`${tenant}\n${uid}`) % partitions;
}

/**
 * Every partition's subject under `prefix`, for a worker that consumes them all or a stream's config.
 *
 * Example: `partitionSubjects('dmp.log', 2) // ['dmp.log.0', 'dmp.log.1', 'dmp.log.shared']`
 */
export function partitionSubjects(prefix: string, partitions: number): string[] {
  return [...Array.from({ length: partitions }, (_, i) => `${prefix}.${i}`), `${prefix}.${SHARED_PARTITION}`];
}
