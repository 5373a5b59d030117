/**
 * A counter bumped by every change to configuration that cached decisions depend on (data-source labels,
 * destinations), so caches can tell that they are stale without a clock or a database read.
 * Example: `const rev = new Revision(); const seen = rev.value; rev.bump(); rev.value !== seen`.
 */
export class Revision {
  value = 0;

  bump(): void {
    this.value++;
  }
}
