import type { RunStore } from './run-store.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';
import { withoutIds } from './dead-letter-ids.ts';
import type { LetterRow, RunRow } from './run-row.ts';
import { toLetter, toRun } from './run-row.ts';

/**
 * Activation runs and dead letters on SQLite.
 * Example: `await runs.saveRun('acme', { runId, destination: 'ttd', mode: 'full', status: 'running', startedAt, report: {} })`.
 */
export function sqliteRuns(ctx: CatalogContext): RunStore {
  const { db } = ctx;
  const upsert = db.prepare(
    `INSERT INTO activation_runs (tenant, run_id, destination, campaign, mode, status, started_at, finished_at, report)
     VALUES (@tenant, @run_id, @destination, @campaign, @mode, @status, @started_at, @finished_at, @report)
     ON CONFLICT (tenant, run_id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
       report = excluded.report, mode = excluded.mode, campaign = excluded.campaign`,
  );
  const get = db.prepare<[string, string], RunRow>(
    'SELECT * FROM activation_runs WHERE tenant = ? AND run_id = ?',
  );
  const addLetter = db.prepare(
    `INSERT INTO dead_letters (tenant, destination, run_id, batch_id, reason, attempts, payload, created_at)
     VALUES (@tenant, @destination, @run_id, @batch_id, @reason, @attempts, @payload, @created_at)`,
  );
  const getLetter = db.prepare<[number], LetterRow>('SELECT * FROM dead_letters WHERE id = ?');
  const letters = db.prepare<[string, string, number], LetterRow>(
    'SELECT * FROM dead_letters WHERE tenant = ? AND destination = ? ORDER BY id DESC LIMIT ?',
  );
  return {
    async saveRun(tenant, run) {
      requireTenant(ctx, tenant);
      upsert.run({
        tenant,
        run_id: run.runId,
        destination: run.destination,
        campaign: run.campaign ?? null,
        mode: run.mode,
        status: run.status,
        started_at: run.startedAt,
        finished_at: run.finishedAt ?? null,
        report: JSON.stringify(run.report ?? {}),
      });
    },
    async getRun(tenant, runId) {
      const row = get.get(tenant, runId);
      return row === undefined ? undefined : toRun(row);
    },
    async listRuns(tenant, query) {
      const where = ['tenant = ?'];
      const args: (string | number)[] = [tenant];
      if (query.destination !== undefined) {
        where.push('destination = ?');
        args.push(query.destination);
      }
      if (query.campaign !== undefined) {
        where.push('campaign = ?');
        args.push(query.campaign);
      }
      if (query.status !== undefined) {
        where.push('status = ?');
        args.push(query.status);
      }
      args.push(query.limit);
      const sql = `SELECT * FROM activation_runs WHERE ${where.join(' AND ')} ORDER BY started_at DESC, run_id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], RunRow>(sql)
        .all(...args)
        .map(toRun);
    },
    async addDeadLetter(tenant, letter) {
      requireTenant(ctx, tenant);
      const info = addLetter.run({
        tenant,
        destination: letter.destination,
        run_id: letter.runId,
        batch_id: letter.batchId,
        reason: letter.reason,
        attempts: letter.attempts,
        payload: JSON.stringify(letter.payload ?? null),
        created_at: ctx.now(),
      });
      return toLetter(getLetter.get(Number(info.lastInsertRowid))!);
    },
    async listDeadLetters(tenant, destination, limit) {
      return letters.all(tenant, destination, limit).map(toLetter);
    },
    async eraseFromDeadLetters(tenant, ids) {
      return eraseIds(ctx, tenant, ids);
    },
  };
}

/**
 * Rewrites the payloads of the tenant's dead letters that name one of `ids`, without those entries, in
 * one transaction; then checkpoints the write-ahead log and truncates it, so that neither the WAL file
 * nor (with `secure_delete`, set when the catalog opens) the freed space of the database keeps them.
 */
function eraseIds(ctx: CatalogContext, tenant: string, ids: readonly string[]): number {
  const wanted = new Set(ids.filter((id) => id !== ''));
  if (wanted.size === 0) return 0;
  const rows = ctx.db
    .prepare<[string], { id: number; payload: string }>(
      'SELECT id, payload FROM dead_letters WHERE tenant = ?',
    )
    .all(tenant);
  const update = ctx.db.prepare<[string, number]>('UPDATE dead_letters SET payload = ? WHERE id = ?');
  let rewritten = 0;
  ctx.db.transaction(() => {
    for (const row of rows) {
      if (![...wanted].some((id) => row.payload.includes(JSON.stringify(id).slice(1, -1)))) continue;
      const payload = withoutIds(JSON.parse(row.payload) as unknown, wanted);
      const text = JSON.stringify(payload);
      if (text === row.payload) continue;
      update.run(text, row.id);
      rewritten++;
    }
  })();
  if (rewritten > 0) ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  return rewritten;
}
