import type { ProfileColumnsView } from '../profiles/profile-store.ts';
import type { Bitmap, ReadonlyBitmap } from './bitmap.ts';
import { scanMembers } from './scan-members.ts';

/**
 * Per ID type that a rule has asked about (`ids.maid exists`), the live profiles holding an ID of that
 * type: made by one scan of the live profiles the first time the type is asked, then kept by the
 * maintenance calls (a profile's IDs are only ever added while it lives; a removed profile leaves every
 * bitmap). Types never asked cost nothing; each kept type costs one lookup per changed profile.
 *
 * Example:
 * ```ts
 * ids.of('maid', view, live).size; // scans once
 * ids.set(p, view);                // after the store changed p
 * ```
 */
export class IdTypeBitmaps {
  private readonly byType = new Map<string, Bitmap>();

  /** The live profiles holding an ID of `type`; the caller must not change it. */
  of(type: string, view: ProfileColumnsView, live: ReadonlyBitmap): ReadonlyBitmap {
    let bitmap = this.byType.get(type);
    if (bitmap !== undefined) return bitmap;
    bitmap = scanMembers(live, (p) => view.hasId(p, type));
    this.byType.set(type, bitmap);
    return bitmap;
  }

  /** Adds `p` to the bitmap of every kept type it now holds an ID of. */
  set(p: number, view: ProfileColumnsView): void {
    for (const [type, bitmap] of this.byType) if (view.hasId(p, type)) bitmap.add(p);
  }

  /** Takes `p` out of every bitmap. */
  clear(p: number): void {
    for (const bitmap of this.byType.values()) bitmap.delete(p);
  }

  /** Takes the profiles out of every bitmap. */
  clearMany(dead: ReadonlyBitmap): void {
    for (const bitmap of this.byType.values()) bitmap.andNotInPlace(dead);
  }

  /** Forgets every bitmap (a rebuild: each is made again when next asked). */
  reset(): void {
    this.byType.clear();
  }
}
