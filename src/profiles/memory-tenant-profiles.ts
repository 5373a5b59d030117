import type { CollectedEvent, Consent } from '../core/event.ts';
import type { ProfileView } from '../core/rules/scope.ts';
import type {
  ForgetResult,
  ProfileAttributes,
  ProfileColumnsView,
  SnapshotPart,
  TenantProfiles,
  TraitSummary,
} from './profile-store.ts';
import { ColumnsProfileView } from './columns-profile-view.ts';
import { ConsentColumn } from './consent-column.ts';
import { IdIndex } from './id-index.ts';
import {
  checkIdLimits,
  type AttachResult,
  type IdLimits,
  type LinkedId,
  type MergeResult,
} from './profile-ids.ts';
import { ProfileColumns } from './profile-columns.ts';
import { RealisationArena } from './realisation-arena.ts';
import { LITTLE_ENDIAN, SnapshotReader, jsonPart } from './snapshot-parts.ts';
import { StringTable } from './string-table.ts';

/**
 * The layout of the parts of `snapshotParts`; a snapshot of another version is refused (src/snapshot then
 * tries an older file, else replays the log). 3: every visit of each profile (`visits.*`), without which
 * a late event cannot be counted exactly, so a version 2 snapshot is not read. 4: each ID's learnt time
 * (`ids.learnt`) and its key's length in the key arena (no `ids.length`), so a version 3 snapshot is
 * not read (its IDs have no learnt time, and caps need one).
 */
const SNAPSHOT_VERSION = 4;

/**
 * One tenant's profiles in memory, as typed-array columns (see README.md for the layout and its cost).
 * Methods taking a profile index expect a live one (from `resolve`, `find`, `page` or `forEach`);
 * `remove` of an index that is not live does nothing.
 *
 * Example:
 * ```ts
 * const profiles = new MemoryTenantProfiles();
 * const p = profiles.resolve('c-1', { maid: 'm-1' }, true)!;
 * profiles.recordEvent(p, event);
 * profiles.addRealisation(p, 7, event.ts);
 * profiles.view(p).countRealisations(7, -Infinity, Infinity); // 1
 * ```
 */
export class MemoryTenantProfiles implements TenantProfiles {
  private columns = new ProfileColumns();
  private strings = new StringTable();
  private ids = new IdIndex();
  private arena = new RealisationArena();
  private consents = new ConsentColumn();
  private flyweight = new ColumnsProfileView(this.columns, this.strings, this.ids, this.arena);

  /**
   * The profiles of `snapshotParts()`: every answer as the original's was. The columns are copied
   * from the parts' bytes (one memcpy each) and the ID table's slots are taken as they are: no
   * per-profile work. Throws when a part is missing or the wrong size, or the snapshot is of another
   * version or byte order.
   *
   * Example: `const copy = MemoryTenantProfiles.fromSnapshot(profiles.snapshotParts());`
   */
  static fromSnapshot(parts: readonly SnapshotPart[]): MemoryTenantProfiles {
    const reader = new SnapshotReader(parts);
    const meta = reader.json('profiles.meta') as Record<string, unknown>;
    if (meta.version !== SNAPSHOT_VERSION || meta.littleEndian !== LITTLE_ENDIAN)
      throw new Error(`snapshot profiles.meta: cannot read ${JSON.stringify(meta)}`);
    const profiles = new MemoryTenantProfiles();
    profiles.columns = ProfileColumns.restore(reader);
    const capacity = profiles.columns.capacity();
    profiles.strings = StringTable.restore(reader, 'strings');
    profiles.ids = IdIndex.restore(reader, capacity);
    profiles.arena = RealisationArena.restore(reader, capacity);
    profiles.consents = ConsentColumn.restore(reader);
    profiles.flyweight = new ColumnsProfileView(
      profiles.columns,
      profiles.strings,
      profiles.ids,
      profiles.arena,
    );
    return profiles;
  }

  snapshotParts(): SnapshotPart[] {
    const profiles = this.columns.highWater();
    return [
      jsonPart('profiles.meta', { version: SNAPSHOT_VERSION, littleEndian: LITTLE_ENDIAN }),
      ...this.columns.snapshot(),
      this.strings.snapshot('strings'),
      ...this.ids.snapshot(profiles),
      ...this.arena.snapshot(profiles),
      ...this.consents.snapshot(),
    ];
  }

  resolve(
    uid: string,
    ids: Readonly<Record<string, string>>,
    create: boolean,
    learntAt?: number,
  ): number | undefined {
    let p = uid === '' ? undefined : this.ids.findLearning('uid', uid, learntAt);
    const byUid = p !== undefined;
    if (p === undefined) {
      for (const type in ids) {
        const value = ids[type];
        if (value === undefined || value === '') continue;
        p = this.ids.find(type, value);
        if (p !== undefined) break;
      }
    }
    if (p === undefined) {
      if (!create) return undefined;
      p = this.columns.allocate();
      const capacity = this.columns.capacity();
      this.ids.ensureProfiles(capacity);
      this.arena.ensureProfiles(capacity);
    }
    // IDs held by another profile stay there (linking profiles is a merge, decided by the identity
    // rules), and here a profile takes no second ID of a type it holds (`attachId` does); an ID the
    // profile holds is learnt again at `learntAt`
    if (!byUid) this.ids.attach(p, 'uid', uid, learntAt);
    for (const type in ids) {
      const value = ids[type];
      if (value !== undefined) this.ids.attach(p, type, value, learntAt);
    }
    return p;
  }

  attachId(p: number, type: string, id: string, learntAt?: number, limits: IdLimits = {}): AttachResult {
    checkIdLimits(limits);
    const attached = this.ids.attach(p, type, id, learntAt, true);
    return { attached, droppedIds: this.ids.cap(p, limits) };
  }

  merge(survivor: number, absorbed: number, limits: IdLimits = {}): MergeResult {
    const live = this.columns.live;
    if (survivor === absorbed || live[survivor] !== 1 || live[absorbed] !== 1)
      throw new RangeError(
        `cannot merge profile ${absorbed} into ${survivor}: two different live profiles are needed`,
      );
    checkIdLimits(limits);
    this.ids.moveAll(absorbed, survivor);
    const droppedIds = this.ids.cap(survivor, limits);
    this.arena.absorb(survivor, absorbed);
    this.columns.absorb(survivor, absorbed, this.strings);
    this.consents.absorb(survivor, absorbed);
    this.remove(absorbed);
    return { droppedIds };
  }

  findLearning(type: string, id: string, learntAt?: number): number | undefined {
    return this.ids.findLearning(type, id, learntAt);
  }

  find(type: string, id: string): number | undefined {
    return this.ids.find(type, id);
  }

  recordEvent(p: number, event: CollectedEvent): void {
    this.columns.record(p, event, this.strings);
    if (event.consent !== undefined) this.consents.record(p, event.consent, event.ts);
  }

  consentOf(p: number): Consent | undefined {
    return this.consents.of(p);
  }

  recordConsent(p: number, consent: Consent, ts: number): void {
    this.consents.record(p, consent, ts);
  }

  addRealisation(p: number, traitId: number, ts: number): void {
    this.arena.add(p, traitId, ts);
  }

  clearTrait(traitId: number): void {
    const drop = (t: number): boolean => t === traitId;
    this.forEach((p) => this.arena.removeWhere(p, drop));
  }

  removeRealisations(p: number, drop: (traitId: number, ts: number) => boolean): number {
    return this.arena.removeWhere(p, drop);
  }

  view(p: number, indexed = false): ProfileView {
    return this.flyweight.at(p, indexed);
  }

  uidOf(p: number): string {
    return this.ids.valueOf(p, 'uid') ?? '';
  }

  idsOf(p: number): Record<string, string> {
    return this.ids.all(p);
  }

  allIds(p: number): LinkedId[] {
    return this.ids.records(p);
  }

  traitSummaries(p: number): TraitSummary[] {
    return this.arena.summaries(p);
  }

  attributes(p: number): ProfileAttributes {
    const c = this.columns;
    const text = (column: Uint32Array): string | undefined => this.strings.get(column[p] ?? 0);
    return {
      firstSeen: c.firstSeen[p] ?? NaN,
      lastSeen: c.lastSeen[p] ?? NaN,
      visits: c.visits[p] ?? 0,
      pageviews: c.pageviews[p] ?? 0,
      geo: defined({ country: text(c.country), region: text(c.region), city: text(c.city) }),
      device: defined({ type: text(c.deviceType), os: text(c.os), browser: text(c.browser) }),
    };
  }

  remove(p: number): void {
    if (this.columns.live[p] !== 1) return;
    this.ids.removeAll(p);
    this.arena.removeAll(p);
    this.consents.clear(p);
    this.columns.release(p);
  }

  forget(
    now: number,
    traitLifetimeMs: (traitId: number) => number | undefined,
    profileLifetimeMs: number,
  ): ForgetResult {
    const cutoffs = new Map<number, number>();
    const drop = (traitId: number, ts: number): boolean => {
      let cutoff = cutoffs.get(traitId);
      if (cutoff === undefined) {
        const lifetime = traitLifetimeMs(traitId);
        cutoff = lifetime === undefined ? Infinity : now - lifetime;
        cutoffs.set(traitId, cutoff);
      }
      return ts <= cutoff;
    };
    const profileCutoff = now - profileLifetimeMs;
    let profilesRemoved = 0;
    let realisationsForgotten = 0;
    this.forEach((p) => {
      realisationsForgotten += this.arena.removeWhere(p, drop);
      let seen = this.columns.lastSeen[p] ?? NaN;
      // a profile with no event yet (onboarded from a file) is as old as its newest realisation
      if (Number.isNaN(seen)) seen = this.arena.newest(p);
      if (Number.isNaN(seen) || seen <= profileCutoff) {
        this.remove(p);
        profilesRemoved++;
      }
    });
    return { profilesRemoved, realisationsForgotten };
  }

  count(): number {
    return this.columns.count();
  }

  /** The memory the IDs hold (their key arena, entry columns, table and list heads), for measurements. */
  idBytes(): number {
    return this.ids.byteSize();
  }

  /** The visits of the profile, oldest first, as `[start, end]` pairs (for tests). */
  visitsOf(p: number): [number, number][] {
    const c = this.columns;
    return c.sessions.visitsOf(p, c.firstSeen[p] ?? NaN, c.lastSeen[p] ?? NaN);
  }

  /** The memory the realisations hold (their arena's chunks and columns), for measurements. */
  realisationBytes(): number {
    return this.arena.bytes();
  }

  columnsView(): ProfileColumnsView {
    const c = this.columns;
    const { strings, ids } = this;
    // methods, not named arrows: the view is made per event, and under tsx (keepNames) each named
    // closure costs a defineProperty call
    return {
      highWater: c.highWater(),
      live: c.live,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      visits: c.visits,
      pageviews: c.pageviews,
      country: c.country,
      region: c.region,
      city: c.city,
      deviceType: c.deviceType,
      os: c.os,
      browser: c.browser,
      realisations: this.arena.lists(),
      string(id) {
        return strings.get(id);
      },
      hasId(p, type) {
        return ids.hasType(p, type);
      },
    };
  }

  page(after: number, limit: number): number[] {
    const out: number[] = [];
    const live = this.columns.live;
    const end = this.columns.highWater();
    for (let p = Math.max(0, after + 1); p < end && out.length < limit; p++) {
      if (live[p] === 1) out.push(p);
    }
    return out;
  }

  forEach(fn: (p: number) => void): void {
    const end = this.columns.highWater();
    for (let p = 0; p < end; p++) {
      if (this.columns.live[p] === 1) fn(p);
    }
  }
}

/** The object without its undefined fields, so that absent values are absent keys. */
function defined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(o) as (keyof T)[]) {
    if (o[key] !== undefined) out[key] = o[key];
  }
  return out;
}
