/**
 * A growable set of dense profile indexes (one byte each), for the profiles a full job has named.
 * Example: `const marks = new ProfileMarks(); marks.add(7); marks.has(7); // true`
 */
export class ProfileMarks {
  private bytes = new Uint8Array(1024);

  add(p: number): void {
    if (p >= this.bytes.length) {
      let n = this.bytes.length;
      while (n <= p) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[p] = 1;
  }

  has(p: number): boolean {
    return this.bytes[p] === 1;
  }
}

/**
 * A set of trait ids as a byte per id, for the inner loops (no hashing).
 * Example: `const t = new TraitMarks([3, 9]); t.has(9); // true`
 */
export class TraitMarks {
  private bytes: Uint8Array;
  /** `drop(traitId)` for `TenantProfiles.removeRealisations`, bound once */
  readonly drop = (traitId: number): boolean => this.bytes[traitId] === 1;

  constructor(ids: Iterable<number> = [], capacity = 0) {
    this.bytes = new Uint8Array(Math.max(16, capacity + 1));
    for (const id of ids) this.set(id);
  }

  has(traitId: number): boolean {
    return this.bytes[traitId] === 1;
  }

  set(traitId: number): void {
    if (traitId >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(traitId + 1, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[traitId] = 1;
  }

  clear(traitId: number): void {
    if (traitId < this.bytes.length) this.bytes[traitId] = 0;
  }
}
