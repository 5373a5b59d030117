import {
  mkdirSync,
  openSync,
  closeSync,
  fsyncSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ProfileStore } from '../profiles/profile-store.ts';
import type { Trait } from '../catalog/catalog.ts';
import type { PartToWrite, SnapshotPart } from '../profiles/profile-store.ts';
import type { SnapshotManifest } from './snapshot-file.ts';
import { partsOnDemand, readSnapshotManifest, writeSnapshotFile } from './snapshot-file.ts';
import { fingerprintChange, traitFingerprints } from './trait-fingerprints.ts';

const PREFIX = 'snapshot-';
const SUFFIX = '.snap';
const KEEP = 2;
/** the prefix of the audience index's parts (the rest of a tenant's parts are its profiles') */
const AUDIENCE = 'audience.';

/**
 * State kept beside a tenant's profiles in each snapshot, under part names starting with `prefix`, and
 * restored before the log after the snapshot is replayed: e.g. the event IDs accepted lately
 * (`EventIdDedup`), which a restart must not forget.
 *
 * Example: `new Snapshots(dir, store, qualify, [eventIds])`.
 */
export interface SnapshotCompanion {
  readonly prefix: string;
  snapshotParts(tenant: string): PartToWrite[];
  restore(tenant: string, parts: readonly SnapshotPart[]): void;
  drop(tenant: string): void;
}

/**
 * What snapshots read and restore of qualification (`QualifyService` is the one implementation): how far
 * the log is applied, the deletions applied, each tenant's trait versions (a snapshot's fingerprint), and
 * the audience indexes kept beside the profiles. Owned here so that snapshots sit below qualify.
 */
export interface SnapshotQualify {
  readonly stats: { readonly deletions: number };
  appliedThrough(): number;
  markAppliedThrough(seq: number): void;
  tenants(): Iterable<string>;
  rules(tenant: string): { readonly traitsById: ReadonlyMap<number, Trait> };
  audienceParts(tenant: string): PartToWrite[];
  restoreAudience(tenant: string, parts: readonly SnapshotPart[]): void;
  dropAudience(tenant: string): void;
}

/** What `restore` did: the seq to replay the log from, and why each newer snapshot was passed over. */
export interface RestoreResult {
  fromSeq: number;
  used?: { file: string; seq: number; ms: number; bytes: number };
  skipped: string[];
}

/** What `take` did. */
export type TakeResult =
  { taken: true; file: string; seq: number; bytes: number; ms: number } | { taken: false; reason: string };

/**
 * Snapshots of every tenant's profiles under `dir`, each tagged with the log position it holds, so a
 * start restores the newest usable one and replays only the log after it (ADR 0015). Taken at a clean
 * stop and every `everyRecords` log records (by the retention sweep); never while a deletion is between
 * its log record and the erasure of the visitor's copies. A deletion keeps the snapshots (its `delete`
 * record stays in the log, so a restart from one of them removes the visitor again) and makes a new one
 * due at the next sweep; once that is written, the older ones are removed and then the record erased
 * (`DeletionCompletion`), so a restart after a deletion restores a snapshot and replays only the tail.
 *
 * Example:
 * ```ts
 * const snapshots = new Snapshots(join(dataDir, 'snapshots'), store, qualify);
 * const { fromSeq } = snapshots.restore(log.lastSeq());
 * await log.replay(fromSeq, apply);
 * snapshots.take(); // at a clean stop
 * ```
 */
export class Snapshots {
  private deletionsInFlight = 0;
  /** deletion records whose visitor's events are erased (compared with the deletions applied) */
  private deletionsErased = 0;
  private lastSeq = 0;
  private stale = false;

  constructor(
    private readonly dir: string,
    private readonly store: ProfileStore,
    private readonly qualify: SnapshotQualify,
    private readonly companions: readonly SnapshotCompanion[] = [],
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Restores the newest snapshot that is whole, holds no record the log has not got, and whose tenants'
   * trait versions are unchanged; returns the seq to replay from (1 when none could be used).
   */
  restore(logLastSeq: number): RestoreResult {
    const skipped: string[] = [];
    for (const file of this.files()) {
      const path = join(this.dir, file);
      const started = performance.now();
      try {
        const manifest = readSnapshotManifest(path);
        const why = this.unusable(manifest, logLastSeq);
        if (why !== undefined) {
          skipped.push(`${file}: ${why}`);
          continue;
        }
        const bytes = this.restoreTenants(path, Object.keys(manifest.tenants));
        this.qualify.markAppliedThrough(manifest.seq);
        this.lastSeq = manifest.seq;
        return {
          fromSeq: manifest.seq + 1,
          used: { file, seq: manifest.seq, ms: performance.now() - started, bytes },
          skipped,
        };
      } catch (error) {
        skipped.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { fromSeq: 1, skipped };
  }

  /**
   * Restores each tenant's profiles and then its audience index, reading each part of the file only
   * when it is copied where it belongs (`partsOnDemand`), so that one part is held at a time: at 10M
   * profiles a snapshot is gigabytes, and holding all of it beside what it restores would double that. A
   * damaged part undoes every tenant restored from the file, and throws. Returns the file's size.
   */
  private restoreTenants(path: string, tenants: readonly string[]): number {
    const restored: string[] = [];
    try {
      for (const tenant of tenants) {
        const parts = partsOnDemand(path, tenant);
        const companion = (name: string): boolean => this.companions.some((c) => name.startsWith(c.prefix));
        this.store.restoreTenant(
          tenant,
          parts.filter((p) => !p.name.startsWith(AUDIENCE) && !companion(p.name)),
        );
        restored.push(tenant);
        for (const c of this.companions)
          c.restore(
            tenant,
            parts.filter((p) => p.name.startsWith(c.prefix)),
          );
        const audience = parts.filter((p) => p.name.startsWith(AUDIENCE));
        if (audience.length > 0) this.qualify.restoreAudience(tenant, audience);
      }
    } catch (error) {
      for (const tenant of restored) {
        this.store.dropTenant(tenant);
        this.qualify.dropAudience(tenant);
        for (const c of this.companions) c.drop(tenant);
      }
      throw error;
    }
    return statSync(path).size;
  }

  /**
   * Whether a periodic snapshot is due: `everyRecords` (0: never) records since the last, or a deletion
   * since (also with 0: older snapshots hold the deleted visitor until a newer one replaces them).
   */
  due(everyRecords: number): boolean {
    const applied = this.qualify.appliedThrough();
    if (applied <= this.lastSeq) return false;
    return this.stale || (everyRecords > 0 && applied - this.lastSeq >= everyRecords);
  }

  /** Writes a snapshot of every tenant now (synchronously: the state cannot move while it is written). */
  take(): TakeResult {
    if (this.deletionsInFlight > 0 || this.qualify.stats.deletions > this.deletionsErased)
      return { taken: false, reason: 'a deletion is in progress' };
    const seq = this.qualify.appliedThrough();
    const started = performance.now();
    const manifest: SnapshotManifest = { seq, createdAt: Date.now(), tenants: {} };
    const parts = new Map<string, PartToWrite[]>();
    for (const tenant of this.store.tenants()) {
      manifest.tenants[tenant] = { fingerprints: this.fingerprints(tenant, seq) };
      parts.set(tenant, [
        ...this.store.tenant(tenant).snapshotParts(),
        ...this.qualify.audienceParts(tenant),
        ...this.companions.flatMap((c) => c.snapshotParts(tenant)),
      ]);
    }
    const file = `${PREFIX}${String(seq).padStart(16, '0')}${SUFFIX}`;
    const temp = join(this.dir, `${file}.tmp`);
    const bytes = writeSnapshotFile(temp, manifest, parts);
    renameSync(temp, join(this.dir, file));
    syncDir(this.dir);
    for (const old of this.files().slice(KEEP)) unlinkSync(join(this.dir, old));
    this.lastSeq = seq;
    this.stale = false;
    return { taken: true, file, seq, bytes, ms: performance.now() - started };
  }

  /** Called before a deletion's log record is written: no snapshot is taken until `deletionFinished`. */
  deletionStarted(): void {
    this.deletionsInFlight++;
    this.stale = true;
  }

  /** Makes a snapshot due at the next sweep (older ones hold a deleted visitor). */
  requestSoon(): void {
    this.stale = true;
  }

  /** Removes the snapshot files older than `seq` (they may hold a visitor deleted since). */
  removeOlderThan(seq: number): void {
    let removed = 0;
    for (const file of this.files()) {
      if (seqOf(file) >= seq) continue;
      unlinkSync(join(this.dir, file));
      removed++;
    }
    for (const file of readdirSync(this.dir))
      if (file.endsWith(`${SUFFIX}.tmp`)) unlinkSync(join(this.dir, file));
    if (removed > 0) syncDir(this.dir);
  }

  /** Called once the deletions' records and the visitors' events are erased from the log. */
  deletionFinished(records: number): void {
    this.deletionsInFlight = Math.max(0, this.deletionsInFlight - 1);
    this.deletionsErased += records;
  }

  /** Snapshot files, newest first. */
  files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.startsWith(PREFIX) && f.endsWith(SUFFIX))
      .sort()
      .reverse();
  }

  private unusable(manifest: SnapshotManifest, logLastSeq: number): string | undefined {
    if (manifest.seq > logLastSeq)
      return `it holds records up to ${manifest.seq} but the log ends at ${logLastSeq}`;
    const tenants = new Set([...Object.keys(manifest.tenants), ...this.qualify.tenants()]);
    for (const tenant of tenants) {
      const change = fingerprintChange(
        manifest.tenants[tenant]?.fingerprints ?? {},
        this.fingerprints(tenant, manifest.seq),
      );
      if (change !== undefined) return `in tenant ${tenant}, ${change} since it was taken`;
    }
    return undefined;
  }

  private fingerprints(tenant: string, seq: number): Record<string, string> {
    return traitFingerprints(this.qualify.rules(tenant).traitsById.values(), seq);
  }
}

/** The log position in a snapshot file's name. */
function seqOf(file: string): number {
  return Number(file.slice(PREFIX.length, -SUFFIX.length));
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
