import type { RunStore } from '../run-store.ts';
import { withoutIds } from '../dead-letter-ids.ts';
import type { LetterRow, RunRow } from '../run-row.ts';
import { letterColumns, toLetter, toRun } from '../run-row.ts';
import type { PgContext } from './pg-sql.ts';
import { all, one, requireTenantPg } from './pg-sql.ts';

/**
 * Activation runs and dead letters on PostgreSQL. Erasing IDs from dead letters rewrites them in one
 * transaction, then VACUUMs the table so that the old row versions are no longer kept as live data
 * (their bytes may stay in free space and in archived WAL until overwritten: see ADR 0032).
 *
 * Example: `await pgRuns(ctx).saveRun('acme', { runId, destination: 'ttd', mode: 'full', status: 'running', startedAt, report: {} })`.
 */
export function pgRuns(ctx: PgContext): RunStore {
  const { pool } = ctx;
  return {
    async saveRun(tenant, run) {
      await ctx.write(tenant, 'run', async (sql) => {
        await requireTenantPg(sql, tenant);
        await sql.query(
          `INSERT INTO activation_runs (tenant, run_id, destination, campaign, mode, status, started_at, finished_at, report)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (tenant, run_id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
             report = excluded.report, mode = excluded.mode, campaign = excluded.campaign`,
          [
            tenant,
            run.runId,
            run.destination,
            run.campaign ?? null,
            run.mode,
            run.status,
            run.startedAt,
            run.finishedAt ?? null,
            JSON.stringify(run.report ?? {}),
          ],
        );
      });
    },
    async getRun(tenant, runId) {
      const row = await one<RunRow>(pool, 'SELECT * FROM activation_runs WHERE tenant = $1 AND run_id = $2', [
        tenant,
        runId,
      ]);
      return row === undefined ? undefined : toRun(row);
    },
    async listRuns(tenant, query) {
      const where = ['tenant = $1'];
      const args: (string | number)[] = [tenant];
      for (const [column, value] of [
        ['destination', query.destination],
        ['campaign', query.campaign],
        ['status', query.status],
      ] as const) {
        if (value === undefined) continue;
        args.push(value);
        where.push(`${column} = $${args.length}`);
      }
      args.push(query.limit);
      const rows = await all<RunRow>(
        pool,
        `SELECT * FROM activation_runs WHERE ${where.join(' AND ')}
         ORDER BY started_at DESC, run_id DESC LIMIT $${args.length}`,
        args,
      );
      return rows.map(toRun);
    },
    async addDeadLetter(tenant, letter) {
      const row = await ctx.write(tenant, 'run', async (sql) => {
        await requireTenantPg(sql, tenant);
        return one<LetterRow>(
          sql,
          `INSERT INTO dead_letters (tenant, destination, run_id, batch_id, reason, attempts, payload, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${letterColumns}`,
          [
            tenant,
            letter.destination,
            letter.runId,
            letter.batchId,
            letter.reason,
            letter.attempts,
            JSON.stringify(letter.payload ?? null),
            ctx.now(),
          ],
        );
      });
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return toLetter(row);
    },
    async listDeadLetters(tenant, destination, limit) {
      const rows = await all<LetterRow>(
        pool,
        `SELECT ${letterColumns} FROM dead_letters WHERE tenant = $1 AND destination = $2 ORDER BY id DESC LIMIT $3`,
        [tenant, destination, limit],
      );
      return rows.map(toLetter);
    },
    async eraseFromDeadLetters(tenant, ids) {
      const wanted = new Set(ids.filter((id) => id !== ''));
      if (wanted.size === 0) return 0;
      const rewritten = await ctx.write(tenant, 'run', async (sql) => {
        const rows = await all<{ id: number; payload: string }>(
          sql,
          'SELECT id, payload FROM dead_letters WHERE tenant = $1 FOR UPDATE',
          [tenant],
        );
        let count = 0;
        for (const row of rows) {
          if (![...wanted].some((id) => row.payload.includes(JSON.stringify(id).slice(1, -1)))) continue;
          const text = JSON.stringify(withoutIds(JSON.parse(row.payload) as unknown, wanted));
          if (text === row.payload) continue;
          await sql.query('UPDATE dead_letters SET payload = $1 WHERE id = $2', [text, row.id]);
          count++;
        }
        return count;
      });
      if (rewritten > 0) await pool.query('VACUUM dead_letters');
      return rewritten;
    },
  };
}
