import type { ProfileView, SegmentContext } from '../core/rules/scope.ts';
import type { TenantRules } from './tenant-rules.ts';

const UNKNOWN = 0;
const IN = 1;
const OUT = 2;
const BUSY = 3;

/**
 * Evaluates a tenant's segments for one profile at a time, memoised, so that `segment:x` references are
 * evaluated once per profile and a cycle (rejected when saved, but never trusted) reads as "not in".
 * One instance is reused across profiles: `reset` before each.
 *
 * Example: `ctx.reset(view, now); ctx.isMember(0)`.
 */
export class ProfileSegments implements SegmentContext {
  view!: ProfileView;
  now = 0;
  private readonly memo: Int8Array;

  constructor(private readonly rules: TenantRules) {
    this.memo = new Int8Array(rules.segments.length);
  }

  reset(view: ProfileView, now: number): this {
    this.view = view;
    this.now = now;
    this.memo.fill(UNKNOWN);
    return this;
  }

  inSegment(segmentId: number): boolean {
    const i = this.rules.segmentIndex.get(segmentId);
    return i === undefined ? false : this.isMember(i);
  }

  /** Membership in the segment at position `i` of `rules.segments`. */
  isMember(i: number): boolean {
    const state = this.memo[i];
    if (state === IN) return true;
    if (state === OUT || state === BUSY) return false;
    const segment = this.rules.segments[i];
    if (segment === undefined) return false;
    this.memo[i] = BUSY;
    const result = segment.predicate(this);
    this.memo[i] = result ? IN : OUT;
    return result;
  }

  /** The codes of every segment the profile is in. */
  memberCodes(): string[] {
    const codes: string[] = [];
    for (let i = 0; i < this.rules.segments.length; i++) {
      if (this.isMember(i)) codes.push(this.rules.segments[i]!.code);
    }
    return codes;
  }
}
