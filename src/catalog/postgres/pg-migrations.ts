import type pg from 'pg';
import type { Migration } from '../migrations/catalog-migrations.ts';
import type { MigrationResult } from '../migrations/migrate.ts';
import { inTransaction } from './pg-sql.ts';

// The schema of SQLite steps 1-15 (migrations/catalog-migrations.ts), table for table and column for
// column, with PostgreSQL types: bigint identities for the AUTOINCREMENT IDs, bytea for the hashes and
// keys, boolean for flags. Times stay ISO 8601 text and JSON stays text, as SQLite keeps them, so both
// adapters answer byte for byte alike (jsonb would reorder keys). Texts that lists are ordered by are
// COLLATE "C": byte order, as SQLite compares, whatever the database's locale. `seq` columns stand in
// for SQLite's rowid where a list is "in creation order".
const baseline = `
CREATE TABLE tenants (
  id         text COLLATE "C" PRIMARY KEY,
  name       text NOT NULL,
  created_at text COLLATE "C" NOT NULL
);
CREATE TABLE tenant_secrets (
  tenant      text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  visitor_key bytea NOT NULL CHECK (octet_length(visitor_key) = 32)
);
CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  tenant        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  secret_sha256 bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
  last_four     text NOT NULL,
  scopes        text NOT NULL DEFAULT 'admin',
  user_email    text COLLATE "C",
  created_at    text COLLATE "C" NOT NULL,
  seq           bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX api_keys_tenant ON api_keys(tenant);
CREATE INDEX api_keys_user ON api_keys(tenant, user_email);
CREATE TABLE site_keys (
  key        text PRIMARY KEY,
  tenant     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  origins    text NOT NULL DEFAULT '["*"]',
  created_at text COLLATE "C" NOT NULL,
  seq        bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX site_keys_tenant ON site_keys(tenant);
CREATE TABLE data_sources (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code       text COLLATE "C" NOT NULL,
  name       text NOT NULL,
  party      text NOT NULL CHECK (party IN ('first', 'second', 'third')),
  labels     text NOT NULL DEFAULT '[]',
  created_at text NOT NULL,
  UNIQUE (tenant, code)
);
CREATE TABLE traits (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code             text COLLATE "C" NOT NULL,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('rule', 'onboarded', 'third-party', 'algorithmic')),
  rule             text NOT NULL,
  rule_json        text NOT NULL,
  lifetime_days    integer NOT NULL DEFAULT 120 CHECK (lifetime_days > 0),
  folder           text NOT NULL DEFAULT '',
  source           text COLLATE "C" NOT NULL,
  integration_code text,
  description      text,
  created_at       text NOT NULL,
  updated_at       text NOT NULL,
  UNIQUE (tenant, code),
  FOREIGN KEY (tenant, source) REFERENCES data_sources(tenant, code)
);
CREATE TABLE trait_versions (
  trait      bigint NOT NULL REFERENCES traits(id) ON DELETE CASCADE,
  version    integer NOT NULL CHECK (version > 0),
  rule       text NOT NULL,
  rule_json  text NOT NULL,
  from_seq   bigint NOT NULL CHECK (from_seq >= 0),
  created_at text NOT NULL,
  PRIMARY KEY (trait, version)
);
CREATE TABLE segments (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code             text COLLATE "C" NOT NULL,
  name             text NOT NULL,
  rule             text NOT NULL,
  rule_json        text NOT NULL,
  description      text,
  integration_code text,
  created_at       text NOT NULL,
  updated_at       text NOT NULL,
  UNIQUE (tenant, code)
);
CREATE TABLE audit_log (
  tenant      text NOT NULL REFERENCES tenants(id),
  id          bigint NOT NULL CHECK (id > 0),
  at          text COLLATE "C" NOT NULL,
  actor       text COLLATE "C" NOT NULL,
  action      text COLLATE "C" NOT NULL,
  target      text COLLATE "C" NOT NULL,
  before_json text,
  after_json  text,
  PRIMARY KEY (tenant, id)
);
CREATE INDEX audit_log_action ON audit_log(tenant, action, id);
CREATE INDEX audit_log_target ON audit_log(tenant, target, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TABLE opt_outs (
  tenant     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id_sha256  bytea NOT NULL CHECK (octet_length(id_sha256) = 32),
  created_at text NOT NULL,
  form       text NOT NULL DEFAULT 'sha256' CHECK (form IN ('sha256', 'hmac')),
  PRIMARY KEY (tenant, id_sha256)
);
CREATE TABLE segment_sizes (
  tenant     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  segment_id bigint NOT NULL,
  day        text COLLATE "C" NOT NULL,
  size       bigint NOT NULL,
  PRIMARY KEY (tenant, segment_id, day)
);
CREATE TABLE destinations (
  tenant     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code       text COLLATE "C" NOT NULL,
  kind       text NOT NULL,
  definition text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text NOT NULL,
  PRIMARY KEY (tenant, code)
);
CREATE TABLE activation_runs (
  tenant      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  run_id      text COLLATE "C" NOT NULL,
  destination text NOT NULL,
  campaign    text,
  mode        text NOT NULL,
  status      text NOT NULL,
  started_at  text COLLATE "C" NOT NULL,
  finished_at text,
  report      text NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant, run_id)
);
CREATE INDEX activation_runs_by_destination ON activation_runs (tenant, destination, started_at);
CREATE TABLE dead_letters (
  tenant      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  destination text NOT NULL,
  run_id      text NOT NULL,
  batch_id    text NOT NULL,
  reason      text NOT NULL,
  attempts    integer NOT NULL,
  payload     text NOT NULL,
  created_at  text NOT NULL
);
CREATE INDEX dead_letters_by_destination ON dead_letters (tenant, destination, id);
CREATE TABLE campaigns (
  tenant     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code       text COLLATE "C" NOT NULL,
  definition text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text NOT NULL,
  PRIMARY KEY (tenant, code)
);
CREATE TABLE sync_partners (
  tenant           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code             text COLLATE "C" NOT NULL,
  name             text NOT NULL,
  sync_url         text NOT NULL,
  type             text NOT NULL CHECK (type IN ('redirect', 'iframe')),
  vendor_id        integer CHECK (vendor_id IS NULL OR vendor_id > 0),
  resync_days      integer NOT NULL CHECK (resync_days > 0),
  id_lifetime_days integer NOT NULL CHECK (id_lifetime_days > 0),
  uid_macro        text NOT NULL,
  created_at       text NOT NULL,
  updated_at       text NOT NULL,
  PRIMARY KEY (tenant, code)
);
CREATE TABLE identity_settings (
  tenant           text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  eids_sources     text NOT NULL,
  id_lifetime_days text NOT NULL,
  id_caps          text NOT NULL,
  updated_at       text NOT NULL
);
CREATE TABLE users (
  tenant               text COLLATE "C" NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email                text COLLATE "C" NOT NULL,
  role                 text NOT NULL CHECK (role IN ('admin', 'editor', 'analyst', 'viewer')),
  password_hash        text NOT NULL,
  must_change_password boolean NOT NULL,
  created_at           text NOT NULL,
  updated_at           text NOT NULL,
  PRIMARY KEY (tenant, email)
);
CREATE INDEX users_by_email ON users(email);
`;

/**
 * The PostgreSQL catalog's schema, oldest step first. It starts at version 15, the SQLite schema it
 * mirrors; a later change is a step with the same version in both lists.
 *
 * Example: `await migratePostgres(pool, postgresMigrations)` brings a database up to date.
 */
export const postgresMigrations: readonly Migration[] = [
  { version: 15, name: 'baseline (SQLite steps 1-15)', sql: baseline },
];

// Any constant shared by every process: the advisory lock that makes migrations run one at a time.
const MIGRATION_LOCK = 0x646d7063;

/**
 * Applies the steps a database (its current schema, `search_path`) has not had yet, in one transaction
 * under an advisory lock, so that two processes starting together cannot both apply a step; records each
 * in `schema_migrations`. Throws if the database is newer than the code.
 *
 * Example: `await migratePostgres(pool, postgresMigrations)` -> `{ from: 0, to: 15, applied: [15] }`.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly Migration[],
): Promise<MigrationResult> {
  const steps = [...migrations].sort((a, b) => a.version - b.version);
  const latest = steps.at(-1)?.version ?? 0;
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    const from = rows[0]?.v ?? 0;
    if (from > latest) {
      throw new Error(`catalog database is at schema version ${from}, newer than this program's ${latest}`);
    }
    const applied: number[] = [];
    for (const step of steps) {
      if (step.version <= from) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        step.version,
        step.name,
        new Date().toISOString(),
      ]);
      applied.push(step.version);
    }
    return { from, to: Math.max(from, latest), applied };
  });
}
