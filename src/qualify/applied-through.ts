/**
 * How far the log is applied: the highest seq such that every record up to it has been applied, while
 * records may come to be applied out of seq order (each batch applies its own seqs once its append is done).
 *
 * Example: `applied.mark(2); applied.through` -> `0`; `applied.mark(1); applied.through` -> `2`.
 */
export class AppliedThrough {
  private applied = 0;
  /** seqs applied beyond `applied + 1`, waiting for the gap before them to close */
  private readonly ahead = new Set<number>();

  get through(): number {
    return this.applied;
  }

  /** One record applied. */
  mark(seq: number): void {
    if (seq !== this.applied + 1) {
      if (seq > this.applied) this.ahead.add(seq);
      return;
    }
    this.applied = seq;
    while (this.ahead.delete(this.applied + 1)) this.applied++;
  }

  /** Every record up to `seq` applied (after a snapshot was restored, or the log replayed). */
  markThrough(seq: number): void {
    if (seq <= this.applied) return;
    this.applied = seq;
    for (const s of this.ahead) if (s <= seq) this.ahead.delete(s);
    while (this.ahead.delete(this.applied + 1)) this.applied++;
  }
}
