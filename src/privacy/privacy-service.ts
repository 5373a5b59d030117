import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { CollectedEvent } from '../core/event.ts';
import { checkId } from '../core/identity/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { EventLog, LogRecord } from '../log/event-log.ts';
import { visitorMatcher } from '../log/visitor-matcher.ts';
import type { DemoVisitors, MembershipReader, RuleReader } from '../qualify/ports.ts';
import type { VisitorRef } from '../profiles/profile-service.ts';
import type { ProfileService } from '../profiles/profile-service.ts';
import { iso } from '../profiles/profile-service.ts';
import type { Audit } from '../governance/audit.ts';
import type { OptOutRegistry } from './opt-out-registry.ts';
import type { ConsentGate } from './consent-gate.ts';
import type { RecentDeletions } from './recent-deletions.ts';

/** What a privacy request removed: the receipt given to the requester and kept in the audit log. */
export interface DeletionReceipt {
  requestId: string;
  uid: string;
  deleted: boolean;
  removed: {
    profile: number;
    ids: number;
    realisations: number;
    segmentMemberships: number;
    rawEvents: number;
  };
  at: string;
}

/**
 * How a deletion's `delete` record enters the log: through the ingest pipeline (`IngestService.append`,
 * so it is applied and acknowledged like any record), passed in by the composition root. Owned here so
 * that privacy, which ingest calls at collection (the consent gate), does not import ingest back.
 */
export interface RecordAppender {
  append(records: readonly LogRecord[]): Promise<number>;
}

/**
 * What the privacy service is built from (the app's own). Example:
 * `{ qualify, profiles: profileService, ingest, log, optOuts, gate, audit, clock, hooks: snapshots, completion: deletions }`
 */
export interface PrivacyServiceDeps {
  qualify: MembershipReader & RuleReader & DemoVisitors;
  profiles: ProfileService;
  /** where a deletion's `delete` record is appended (the ingest pipeline) */
  ingest: RecordAppender;
  log: EventLog;
  optOuts: OptOutRegistry;
  gate: ConsentGate;
  audit: Audit;
  clock: Clock;
  /** told when a deletion starts and ends (`Snapshots`); default: no one */
  hooks?: DeletionHooks;
  /** carries a deletion to every copy of the visitor (`DeletionCompletion`); default: the log only */
  completion?: DeletionCompleter;
  /** told of each deletion's IDs just before its record is appended (running onboarding jobs read it) */
  recentDeletions?: RecentDeletions;
  /**
   * a front of a scaled-out deployment holds no profiles: an opt-out is carried out by the engines that
   * may hold the visitor (ADR 35), which register it and delete the profile; default: here
   */
  optOutElsewhere?: OptOutElsewhere;
}

/** What an opt-out came to: registered (`new` the first time), and the visitor's deletion if it had a profile. */
export interface OptOutResult {
  optedOut: true;
  new: boolean;
  profileDeleted: boolean;
  deletion: DeletionReceipt | null;
}

/** Carries an opt-out out where the profiles are (scale-out workers). */
export type OptOutElsewhere = (
  tenant: string,
  idType: string,
  id: string,
  actor: string,
) => Promise<OptOutResult>;

/**
 * Privacy requests: deletion (the profile and every trace of it, through the log so no replay brings it
 * back, and the visitor's raw events erased from the log files), access (everything held about a
 * visitor) and opt-out (no more collection, and the profile deleted). Each is audited without the
 * visitor's ID in clear.
 *
 * Example: `await privacy.delete('t1', { uid: 'c-123' }, 'key:ab12')` -> receipt.
 */
export class PrivacyService {
  private readonly hooks: DeletionHooks;
  private readonly completion: DeletionCompleter;

  constructor(private readonly deps: PrivacyServiceDeps) {
    this.hooks = deps.hooks ?? { deletionStarted() {}, deletionFinished() {} };
    this.completion = deps.completion ?? {
      complete: async (pending) => {
        const { erased } = await finishDeletions(deps.log, pending);
        return { erased: erased - pending.length };
      },
    };
  }

  async delete(tenant: string, ref: VisitorRef, actor: string): Promise<DeletionReceipt> {
    const p = this.deps.profiles.find(tenant, ref);
    const store = this.deps.qualify.profilesOf(tenant);
    const uid = store.uidOf(p);
    const ids = store.idsOf(p);
    const realisations = store.traitSummaries(p).reduce((n, t) => n + t.count, 0);
    const memberships = this.deps.qualify.segmentsOf(tenant, p, this.deps.clock.now()).length;
    const others = withoutUid(ids);
    const more = furtherIds(store, p, uid, ids);
    const extra = more.length === 0 ? {} : { more };
    this.hooks.deletionStarted();
    let erased = 0;
    let finished = 0;
    try {
      // in the same tick as the append: a job's block appended before it is deleted with the visitor,
      // one appended after it is filtered by these IDs first (recent-deletions.ts)
      this.deps.recentDeletions?.mark(
        tenant,
        [['uid', uid], ...Object.entries(others), ...more],
        this.deps.clock.now(),
      );
      const seq = await this.deps.ingest.append([{ kind: 'delete', tenant, uid, ids: others, ...extra }]);
      ({ erased } = await this.completion.complete([{ seq, tenant, uid, ids: others, ...extra }]));
      finished = 1;
    } finally {
      this.hooks.deletionFinished(finished);
    }
    const receipt: DeletionReceipt = {
      requestId: randomUUID(),
      uid,
      deleted: true,
      removed: {
        profile: 1,
        ids: Object.keys(ids).length + more.length,
        realisations,
        segmentMemberships: memberships,
        rawEvents: erased,
      },
      at: iso(this.deps.clock.now()) ?? '',
    };
    const target = await this.visitorTarget(tenant, 'uid', uid);
    await this.deps.audit.record(tenant, actor, 'privacy.delete', target, undefined, {
      ...receipt,
      uid: undefined,
    });
    return receipt;
  }

  /**
   * Everything held about a visitor: the profile, every realisation, the consent, its raw events, and the
   * rows of ID-link files that name it.
   */
  async export(tenant: string, ref: VisitorRef, actor: string) {
    const p = this.deps.profiles.find(tenant, ref);
    const store = this.deps.qualify.profilesOf(tenant);
    const rules = this.deps.qualify.rules(tenant);
    const uid = store.uidOf(p);
    const ids = store.idsOf(p);
    const view = store.view(p);
    const realisations = store.traitSummaries(p).flatMap((t) => {
      const trait = rules.traitsById.get(t.traitId);
      return trait === undefined
        ? []
        : [{ trait: trait.code, times: view.realisationTimes(t.traitId).map((ms) => iso(ms)) }];
    });
    const consent = store.consentOf(p);
    const matches = visitorMatcher(tenant, uid, withoutUid(ids), { more: furtherIds(store, p, uid, ids) });
    const events: (CollectedEvent & { seq: number })[] = [];
    // the rows of ID-link files naming any of the visitor's IDs: what a match table said about it
    const held = new Set(store.allIds(p).map((id) => `${id.type}\u0000${id.value}`));
    held.add(`uid\u0000${uid}`);
    const idLinks: { seq: number; at: string | null; ids: [string, string][] }[] = [];
    await this.deps.log.replay(1, (seq, record) => {
      if (record.kind === 'event' && matches(record, seq)) events.push({ seq, ...record.event });
      if (record.kind === 'links' && record.tenant === tenant)
        for (const ids of record.rows)
          if (ids.some(([type, value]) => held.has(`${type}\u0000${value}`)))
            idLinks.push({ seq, at: iso(record.ts), ids });
      // a generated visitor of the standard data set: its events are drawn again from the day's record
      if (record.kind === 'demo' && record.tenant === tenant)
        for (const event of this.deps.qualify.demoVisitorEvents(record, uid)) events.push({ seq, ...event });
    });
    const target = await this.visitorTarget(tenant, 'uid', uid);
    await this.deps.audit.record(tenant, actor, 'privacy.export', target, undefined, {
      events: events.length,
      realisations: realisations.length,
      idLinks: idLinks.length,
    });
    return {
      exportedAt: iso(this.deps.clock.now()),
      profile: this.deps.profiles.get(tenant, { uid }),
      realisations,
      consent: consent === undefined ? null : { received: consent, decoded: this.deps.gate.state(consent) },
      events,
      idLinks,
    };
  }

  /**
   * Opts a visitor out by ID: no more collection for it, and its profile deleted when there is one; the
   * audit log says so once. `audited: false` for an engine a scaled-out front asked (ADR 35): the front
   * records the one entry for every partition it asked.
   * Example: `await privacy.optOut('t1', 'maid', '6d92...', 'key:ab12')`.
   */
  async optOut(
    tenant: string,
    idType: string,
    sent: string,
    actor: string,
    { audited = true }: { audited?: boolean } = {},
  ): Promise<OptOutResult> {
    // checked and kept as collection keeps it, so an IFA opted out in upper case refuses it sent in lower
    // case, and an ID collection would refuse (a MAID that is no UUID, a clear e-mail) is a 400 here too
    const checked = checkId(idType, sent);
    if (!checked.ok) throw new ServiceError(400, 'invalid_id', checked.error, { field: 'id' });
    const id = checked.id;
    const elsewhere = this.deps.optOutElsewhere;
    let result: OptOutResult;
    if (elsewhere !== undefined) result = await elsewhere(tenant, idType, id, actor);
    else {
      const added = await this.deps.optOuts.add(tenant, idType, id);
      const p = this.deps.qualify.profilesOf(tenant).find(idType, id);
      const receipt =
        p === undefined
          ? undefined
          : await this.delete(tenant, idType === 'uid' ? { uid: id } : { uid: '', idType, id }, actor);
      result = {
        optedOut: true,
        new: added,
        profileDeleted: receipt !== undefined,
        deletion: receipt ?? null,
      };
    }
    if (audited) {
      const target = await this.visitorTarget(tenant, idType, id);
      await this.deps.audit.record(tenant, actor, 'privacy.optout', target, undefined, {
        new: result.new,
        profileDeleted: result.profileDeleted,
      });
    }
    return result;
  }

  /**
   * How the audit log names a visitor: the tenant's keyed hash of the ID (as its opt-out row is kept),
   * never the ID in clear nor a bare SHA-256 anyone could recompute from a guessed ID.
   */
  private async visitorTarget(tenant: string, idType: string, id: string): Promise<string> {
    return `visitor:${await this.deps.optOuts.hashOf(tenant, idType, id)}`;
  }
}

/**
 * Told when a deletion starts (before its log record is written) and when its raw events are erased,
 * so that copies of the state (snapshots) never keep a deleted visitor. Example: `Snapshots` implements it.
 */
export interface DeletionHooks {
  deletionStarted(): void;
  /** `records`: the deletion records now erased with their visitors' events (0 when it failed) */
  deletionFinished(records: number): void;
}

/**
 * Erases every copy of the visitors of deletions whose records are durable; resolves the raw events
 * erased. Example: `DeletionCompletion` (src/privacy/deletion-completion.ts).
 */
export interface DeletionCompleter {
  complete(pending: readonly PendingDeletion[]): Promise<{ erased: number }>;
}

/** A deletion request found in the log: its events and itself are still to be erased. */
export interface PendingDeletion {
  seq: number;
  tenant: string;
  uid: string;
  ids: Record<string, string>;
  /** further IDs, `[type, value]`, where the visitor holds several of one type (a merged profile) */
  more?: [string, string][];
}

/**
 * Erases the raw events of deleted visitors and then the deletion records themselves (the last, so a
 * crash in between leaves the record to be found and finished at the next start).
 * With `keepRecords`, the deletion records stay (until a snapshot taken after them: `DeletionCompletion`).
 * Example: `await finishDeletions(log, [{ seq, tenant, uid, ids }])` -> `{ erased }` (events + records).
 */
export async function finishDeletions(
  log: EventLog,
  pending: readonly PendingDeletion[],
  options: { keepRecords?: boolean } = {},
): Promise<{ erased: number }> {
  if (pending.length === 0) return { erased: 0 };
  const matchers = pending.map((d) =>
    visitorMatcher(d.tenant, d.uid, d.ids, { beforeSeq: d.seq, more: d.more }),
  );
  const records = new Set(options.keepRecords === true ? [] : pending.map((d) => d.seq));
  const { erased } = await log.erase((record, seq) => {
    if (records.has(seq)) return true;
    // each matcher may take its visitor's rows out of a record holding many (an onboarded file's chunk)
    let current = record;
    for (const matches of matchers) {
      const verdict = matches(current, seq);
      if (verdict === true) return true;
      if (verdict !== false) current = verdict;
    }
    return current === record ? false : current;
  });
  return { erased };
}

/**
 * The IDs of profile `p` beyond its primary `uid` and the one-per-type `ids`: where a merged profile holds
 * several of one type (a second cookie, another device ID), as `[type, value]` pairs.
 * Example: after a laptop and a phone merged -> `[['uid', 'c-phone'], ['maid', '6d92...']]`.
 */
function furtherIds(
  store: { allIds(p: number): readonly { type: string; value: string }[] },
  p: number,
  uid: string,
  ids: Record<string, string>,
): [string, string][] {
  return store
    .allIds(p)
    .filter((id) => !(id.type === 'uid' ? id.value === uid : ids[id.type] === id.value))
    .map((id): [string, string] => [id.type, id.value]);
}

function withoutUid(ids: Record<string, string>): Record<string, string> {
  const { uid: _uid, ...rest } = ids;
  return rest;
}
