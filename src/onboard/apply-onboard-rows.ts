import type { AudienceIndex } from '../audience/audience-index.ts';
import type { OnboardMode, OnboardRows } from '../core/onboard/index.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import type { ProfileMarks } from './profile-marks.ts';
import { TraitMarks } from './profile-marks.ts';

/**
 * Where a chunk's rows go: the tenant's profiles, its audience index (absent while the log is replayed
 * at start, when the index is built afterwards from the profiles), and the membership cache to clear.
 *
 * Example: `{ profiles: store.tenant('acme'), index: audience.index, changed: (p) => cache.delete(p) }`
 */
export interface OnboardTarget {
  profiles: TenantProfiles;
  index: AudienceIndex | undefined;
  /** the profile's cached segment memberships are stale (all of the tenant's when `p` is undefined) */
  changed(p?: number): void;
}

/** What one job knows while its chunks are applied. */
export interface JobApplyState {
  mode: OnboardMode;
  /** full mode: the profiles the job has named so far */
  touched: ProfileMarks | undefined;
  /** full mode: the source's onboarded traits, which a row replaces */
  sourceTraits: TraitMarks | undefined;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Applies a chunk's rows (ADR 13): each ID's profile is found or created; in full mode the first row
 * naming a profile replaces all the source's traits on it, later rows add to them; in delta mode each
 * trait is added (replacing the profile's earlier realisation of it) or, with a minus sign, removed.
 * Onboarded traits are held as one realisation per (profile, trait), at the row's time. Returns the
 * realisations added; `skip` says which IDs opted out since the chunk was written (they are skipped).
 *
 * Example: `applyOnboardRows(rows, jobTime, state, target, () => false)` -> `10_482`.
 */
export function applyOnboardRows(
  rows: OnboardRows,
  jobTime: number,
  state: JobApplyState,
  target: OnboardTarget,
  skip: (type: string, id: string) => boolean,
): { added: number; skipped: number } {
  const { profiles, index } = target;
  const rowTraits = new TraitMarks();
  let added = 0;
  let skipped = 0;
  for (let i = 0; i < rows.count; i++) {
    const type = rows.types[i] as string;
    const id = rows.ids[i] as string;
    if (skip(type, id)) {
      skipped++;
      continue;
    }
    const from = rows.start[i] as number;
    const to = rows.start[i + 1] as number;
    let adds = 0;
    for (let k = from; k < to; k++) if ((rows.traits[k] as number) > 0) adds++;
    let p: number | undefined;
    let created = false;
    if (adds === 0) p = profiles.find(type, id);
    else {
      const before = profiles.count();
      // a profile made from another ID type gets the uid `TYPE:VALUE`, as an event without a uid does
      p =
        type === 'uid'
          ? profiles.resolve(id, EMPTY, true)
          : profiles.resolve(`${type}:${id}`, { [type]: id }, true);
      created = profiles.count() > before;
    }
    if (p === undefined) continue;
    // a profile made by a file has no geo or device: `addRealisation` below marks it live in the index,
    // which is all `profileChanged` would do (and it costs a read of every column view)
    if (!created) {
      let drop: TraitMarks;
      if (state.touched !== undefined && state.sourceTraits !== undefined && !state.touched.has(p)) {
        drop = state.sourceTraits;
      } else {
        drop = rowTraits;
        for (let k = from; k < to; k++) rowTraits.set(Math.abs(rows.traits[k] as number));
      }
      if (holdsAny(profiles, p, drop)) removeHeld(profiles, index, p, drop);
      if (drop === rowTraits)
        for (let k = from; k < to; k++) rowTraits.clear(Math.abs(rows.traits[k] as number));
    }
    state.touched?.add(p);
    const time = rows.times[i] as number;
    const ts = Number.isNaN(time) ? jobTime : time;
    for (let k = from; k < to; k++) {
      const traitId = rows.traits[k] as number;
      if (traitId <= 0) continue;
      profiles.addRealisation(p, traitId, ts);
      index?.addRealisation(p, traitId, ts);
      added++;
    }
    target.changed(p);
  }
  return { added, skipped };
}

/**
 * The end of a full job: every profile the job did not name loses the source's traits. Returns how
 * many profiles lost something. Example: `removeUnnamed(target, touched, sourceTraits)` -> `12`.
 */
export function removeUnnamed(
  target: OnboardTarget,
  touched: ProfileMarks,
  sourceTraits: TraitMarks,
): number {
  const { profiles, index } = target;
  const lists = profiles.columnsView().realisations;
  const holders: number[] = [];
  profiles.forEach((p) => {
    if (touched.has(p)) return;
    const n = lists.load(p);
    for (let i = 0; i < n; i++) {
      if (sourceTraits.has(lists.trait[i] ?? 0)) {
        holders.push(p);
        return;
      }
    }
  });
  for (const p of holders) removeHeld(profiles, index, p, sourceTraits);
  if (holders.length > 0) target.changed();
  return holders.length;
}

function holdsAny(profiles: TenantProfiles, p: number, traits: TraitMarks): boolean {
  const lists = profiles.columnsView().realisations;
  const n = lists.load(p);
  for (let i = 0; i < n; i++) {
    if (traits.has(lists.trait[i] ?? 0)) return true;
  }
  return false;
}

/**
 * Removes the profile's realisations of these traits from the index (first, while the store still lists
 * them) and the store; its other traits stay where they are in the index.
 */
function removeHeld(
  profiles: TenantProfiles,
  index: AudienceIndex | undefined,
  p: number,
  traits: TraitMarks,
): void {
  index?.removeTraits(p, traits.drop);
  profiles.removeRealisations(p, traits.drop);
}
