/**
 * Segment answers per profile, each valid until the first instant it could change with no new event
 * (`stableUntil`); any change to the profile or to the rules drops it. Bounded: the oldest entries go
 * first. Example: `cache.get(p, now) ?? cache.set(p, codes, until)`.
 */
export class MembershipCache {
  private readonly entries = new Map<number, { codes: string[]; until: number }>();

  constructor(private readonly capacity = 200_000) {}

  get(p: number, now: number): string[] | undefined {
    const entry = this.entries.get(p);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.entries.delete(p);
      return undefined;
    }
    return entry.codes;
  }

  set(p: number, codes: string[], until: number): string[] {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(p, { codes, until });
    return codes;
  }

  delete(p: number): void {
    this.entries.delete(p);
  }

  clear(): void {
    this.entries.clear();
  }
}
