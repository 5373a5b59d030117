import type { AuditEntry, AuditLogStore } from '../audit-log-store.ts';
import { auditJson } from '../audit-log-store.ts';
import { auditEntryMatches, checkAuditQuery } from '../audit-query.ts';
import type { CampaignStore, StoredCampaign } from '../campaign-store.ts';
import { CatalogError } from '../catalog-error.ts';
import { requireText } from '../catalog-context.ts';
import { withoutIds } from '../dead-letter-ids.ts';
import type { DestinationStore, StoredDestination } from '../destination-store.ts';
import type { ActivationRun, DeadLetter, RunStore } from '../run-store.ts';
import type { SegmentSizeStore } from '../segment-size-store.ts';
import type { CatalogState, DefinitionRow, LetterRow, TenantRows } from './memory-catalog-state.ts';
import { fromJson, rowsOf } from './memory-catalog-state.ts';
import { compare } from './memory-tenants.ts';

type AuditRow = TenantRows['audit'][number];

/**
 * The append-only audit log in memory, numbered per tenant.
 *
 * Example: `await memoryAuditLog(state).appendAudit('acme', { actor: 'cli', action: 'tenant.create', target: 'tenant:acme' })`.
 */
export function memoryAuditLog(state: CatalogState): AuditLogStore {
  return {
    async appendAudit(tenant, entry) {
      const rows = rowsOf(state, tenant);
      requireText('actor', entry.actor);
      requireText('action', entry.action);
      requireText('target', entry.target);
      const row: AuditRow = {
        id: rows.audit.length + 1,
        at: state.now(),
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        before: auditJson('before', entry.before),
        after: auditJson('after', entry.after),
      };
      rows.audit.push(row);
      return auditOut(row);
    },
    async listAudit(tenant, query) {
      const q = checkAuditQuery(query);
      const rows = (state.tenants.get(tenant)?.audit ?? []).filter(
        (row) => row.id > q.after && (q.before === null || row.id < q.before) && auditEntryMatches(row, q),
      );
      return (q.order === 'desc' ? rows.reverse() : rows).slice(0, q.limit).map(auditOut);
    },
  };
}

/**
 * Daily segment sizes in memory.
 *
 * Example: `await memorySegmentSizes(state).recordSegmentSizes('acme', '2026-11-20', [{ segmentId: 3, size: 180 }])`.
 */
export function memorySegmentSizes(state: CatalogState): SegmentSizeStore {
  const entries = (tenant: string) =>
    [...(state.tenants.get(tenant)?.sizes ?? [])].map(([key, size]) => {
      const [segmentId, day] = key.split('\u0000');
      return { segmentId: Number(segmentId), day: day ?? '', size };
    });
  return {
    async recordSegmentSizes(tenant, day, sizes) {
      const rows = rowsOf(state, tenant);
      for (const { segmentId, size } of sizes) rows.sizes.set(`${segmentId}\u0000${day}`, size);
    },
    async segmentSizes(tenant, segmentId, fromDay) {
      return entries(tenant)
        .filter((e) => e.segmentId === segmentId && e.day >= fromDay)
        .sort((a, b) => compare(a.day, b.day))
        .map(({ day, size }) => ({ day, size }));
    },
    async sizeDays(tenant, fromDay) {
      const days = new Set(entries(tenant).map((e) => e.day));
      return [...days].filter((day) => day >= fromDay).sort(compare);
    },
    async pruneSegmentSizes(beforeDay) {
      let pruned = 0;
      for (const rows of state.tenants.values())
        for (const key of [...rows.sizes.keys()])
          if ((key.split('\u0000')[1] ?? '') < beforeDay) {
            rows.sizes.delete(key);
            pruned++;
          }
      return pruned;
    },
  };
}

/**
 * Destinations in memory, one per (tenant, code).
 *
 * Example: `await memoryDestinations(state).saveDestination('acme', 'ttd', 'http', definition)`.
 */
export function memoryDestinations(state: CatalogState): DestinationStore {
  const out = (row: DefinitionRow): StoredDestination => ({ ...row, definition: fromJson(row.definition) });
  return {
    async listDestinations(tenant) {
      return byAge(state.tenants.get(tenant)?.destinations).map(out);
    },
    async getDestination(tenant, code) {
      const row = state.tenants.get(tenant)?.destinations.get(code);
      return row && out(row);
    },
    async saveDestination(tenant, code, kind, definition) {
      const rows = rowsOf(state, tenant);
      const row = saved(rows.destinations, code, kind, definition, state.now());
      return out(row);
    },
    async deleteDestination(tenant, code) {
      if (!state.tenants.get(tenant)?.destinations.delete(code)) {
        throw new CatalogError('not_found', `no destination '${code}' in this tenant`);
      }
    },
  };
}

/**
 * Campaigns in memory, one per (tenant, code).
 *
 * Example: `await memoryCampaigns(state).saveCampaign('acme', 'xmas', definition)`.
 */
export function memoryCampaigns(state: CatalogState): CampaignStore {
  const out = ({ kind: _kind, ...row }: DefinitionRow): StoredCampaign => ({
    ...row,
    definition: fromJson(row.definition),
  });
  return {
    async listCampaigns(tenant) {
      return byAge(state.tenants.get(tenant)?.campaigns).map(out);
    },
    async getCampaign(tenant, code) {
      const row = state.tenants.get(tenant)?.campaigns.get(code);
      return row && out(row);
    },
    async saveCampaign(tenant, code, definition) {
      const rows = rowsOf(state, tenant);
      return out(saved(rows.campaigns, code, '', definition, state.now()));
    },
    async deleteCampaign(tenant, code) {
      if (!state.tenants.get(tenant)?.campaigns.delete(code))
        throw new CatalogError('not_found', `no campaign '${code}' in this tenant`);
    },
  };
}

/**
 * Activation runs and dead letters in memory.
 *
 * Example: `await memoryRuns(state).listRuns('acme', { destination: 'ttd', limit: 10 })` (newest first).
 */
export function memoryRuns(state: CatalogState): RunStore {
  const runOut = (row: Omit<ActivationRun, 'report'> & { report: string }): ActivationRun => ({
    ...row,
    report: fromJson(row.report),
  });
  const letterOut = (row: LetterRow): DeadLetter => ({ ...row, payload: fromJson(row.payload) });
  return {
    async saveRun(tenant, run) {
      const rows = rowsOf(state, tenant);
      const old = rows.runs.get(run.runId);
      const row: Omit<ActivationRun, 'report'> & { report: string } = {
        runId: run.runId,
        // an update keeps the destination and start of the run it updates
        destination: old?.destination ?? run.destination,
        mode: run.mode,
        status: run.status,
        startedAt: old?.startedAt ?? run.startedAt,
        report: JSON.stringify(run.report ?? {}),
      };
      if (run.campaign !== undefined) row.campaign = run.campaign;
      if (run.finishedAt !== undefined) row.finishedAt = run.finishedAt;
      rows.runs.set(run.runId, row);
    },
    async getRun(tenant, runId) {
      const row = state.tenants.get(tenant)?.runs.get(runId);
      return row && runOut(row);
    },
    async listRuns(tenant, query) {
      return [...(state.tenants.get(tenant)?.runs.values() ?? [])]
        .filter(
          (run) =>
            (query.destination === undefined || run.destination === query.destination) &&
            (query.campaign === undefined || run.campaign === query.campaign) &&
            (query.status === undefined || run.status === query.status),
        )
        .sort((a, b) => compare(b.startedAt, a.startedAt) || compare(b.runId, a.runId))
        .slice(0, Math.max(0, query.limit))
        .map(runOut);
    },
    async addDeadLetter(tenant, letter) {
      const rows = rowsOf(state, tenant);
      const row: LetterRow = {
        id: ++state.lastId.letter,
        destination: letter.destination,
        runId: letter.runId,
        batchId: letter.batchId,
        reason: letter.reason,
        attempts: letter.attempts,
        payload: JSON.stringify(letter.payload ?? null),
        createdAt: state.now(),
      };
      rows.letters.push(row);
      return letterOut(row);
    },
    async listDeadLetters(tenant, destination, limit) {
      return (state.tenants.get(tenant)?.letters ?? [])
        .filter((row) => row.destination === destination)
        .reverse()
        .slice(0, Math.max(0, limit))
        .map(letterOut);
    },
    async eraseFromDeadLetters(tenant, ids) {
      const wanted = new Set(ids.filter((id) => id !== ''));
      if (wanted.size === 0) return 0;
      let rewritten = 0;
      for (const row of state.tenants.get(tenant)?.letters ?? []) {
        const text = JSON.stringify(withoutIds(fromJson(row.payload), wanted));
        if (text === row.payload) continue;
        row.payload = text;
        rewritten++;
      }
      return rewritten;
    },
  };
}

function saved(
  table: Map<string, DefinitionRow>,
  code: string,
  kind: string,
  definition: unknown,
  at: string,
): DefinitionRow {
  const row: DefinitionRow = {
    code,
    kind,
    definition: JSON.stringify(definition),
    createdAt: table.get(code)?.createdAt ?? at,
    updatedAt: at,
  };
  table.set(code, row);
  return row;
}

function byAge(table: Map<string, DefinitionRow> | undefined): DefinitionRow[] {
  return [...(table?.values() ?? [])].sort(
    (a, b) => compare(a.createdAt, b.createdAt) || compare(a.code, b.code),
  );
}

function auditOut(row: AuditRow): AuditEntry {
  const { before, after, ...rest } = row;
  const entry: AuditEntry = { ...rest };
  if (before !== null) entry.before = fromJson(before);
  if (after !== null) entry.after = fromJson(after);
  return entry;
}
