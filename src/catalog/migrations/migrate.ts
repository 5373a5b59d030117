import type { Database } from 'better-sqlite3';
import type { Migration } from './catalog-migrations.ts';

/** What `migrate` did: the schema version before and after. */
export interface MigrationResult {
  from: number;
  to: number;
  /** the versions applied now, in order */
  applied: number[];
}

/**
 * Applies the migrations a database has not had yet, all in one immediate transaction (so two processes
 * opening the same file cannot both apply a step), and records each in `schema_migrations`.
 * Throws if the database is newer than the code: running old code on it could damage it.
 *
 * Example:
 * ```ts
 * const db = new Database('catalog.sqlite');
 * migrate(db, catalogMigrations); // -> { from: 1, to: 3, applied: [2, 3] }
 * ```
 */
export function migrate(db: Database, migrations: readonly Migration[]): MigrationResult {
  const steps = [...migrations].sort((a, b) => a.version - b.version);
  const latest = steps.at(-1)?.version ?? 0;
  const run = db.transaction((): MigrationResult => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
    const from = row?.v ?? 0;
    if (from > latest) {
      throw new Error(`catalog database is at schema version ${from}, newer than this program's ${latest}`);
    }
    const record = db.prepare<[number, string, string]>(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    const applied: number[] = [];
    for (const step of steps) {
      if (step.version <= from) continue;
      db.exec(step.sql);
      record.run(step.version, step.name, new Date().toISOString());
      applied.push(step.version);
    }
    return { from, to: Math.max(from, latest), applied };
  });
  return run.immediate();
}
