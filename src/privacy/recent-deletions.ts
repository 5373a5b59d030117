/** How long a deletion is remembered for the jobs running when it came (a file job runs minutes, not days). */
export const RECENT_DELETION_MS = 7 * 86_400_000;

/**
 * The IDs of visitors deleted lately, in memory, for the work that read data before a deletion and writes
 * it after: a file onboarding job parses a block of its upload, and a visitor of that block may be deleted
 * before the block's record is appended (the deletion rewrites the upload, but not the block in memory).
 * The job asks `deletedSince(job start)` for each row and, when `version` moved between its parse and its
 * append, filters the block again, in the same tick as the append: so each row either reaches the log
 * before the `delete` record (and is deleted with the visitor) or is left out. Nothing here is written to
 * disk; after a restart a resumed job reads the rewritten upload.
 *
 * Example: `deletions.mark('acme', [['uid', 'c-1'], ['maid', M]], now); deletions.deletedSince('acme', 'maid', M, jobStart)` -> true
 */
export class RecentDeletions {
  private readonly byTenant = new Map<string, Map<string, number>>();
  private changes = 0;

  /** Counts every `mark`: a job compares it before and after a wait. */
  get version(): number {
    return this.changes;
  }

  /** Remembers a visitor's IDs as deleted at `at` (epoch ms), and forgets deletions older than a week. */
  mark(tenant: string, ids: Iterable<readonly [string, string]>, at: number): void {
    let held = this.byTenant.get(tenant);
    if (held === undefined) {
      held = new Map<string, number>();
      this.byTenant.set(tenant, held);
    }
    for (const [type, id] of ids) held.set(`${type}\u0000${id}`, at);
    for (const [key, when] of held) if (when < at - RECENT_DELETION_MS) held.delete(key);
    this.changes++;
  }

  /** Whether the visitor of this ID was deleted at or after `since` (epoch ms). */
  deletedSince(tenant: string, type: string, id: string, since: number): boolean {
    const at = this.byTenant.get(tenant)?.get(`${type}\u0000${id}`);
    return at !== undefined && at >= since;
  }
}
