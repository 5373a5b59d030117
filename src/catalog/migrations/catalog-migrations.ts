/**
 * One step of the catalog's schema. Steps are applied in `version` order, each once, and recorded in
 * `schema_migrations`; a released step is never edited, a change is a new step.
 *
 * Example: `{ version: 4, name: 'api-key-last-used', sql: 'ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;' }`
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const tenantsAndKeys = `
CREATE TABLE tenants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  tenant     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  secret_sha256 BLOB NOT NULL CHECK (length(secret_sha256) = 32),
  last_four  TEXT NOT NULL,
  scopes     TEXT NOT NULL DEFAULT 'admin',
  created_at TEXT NOT NULL
);
CREATE INDEX api_keys_tenant ON api_keys(tenant);

CREATE TABLE site_keys (
  key        TEXT PRIMARY KEY,
  tenant     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
);
CREATE INDEX site_keys_tenant ON site_keys(tenant);

CREATE TABLE data_sources (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  party      TEXT NOT NULL CHECK (party IN ('first', 'second', 'third')),
  created_at TEXT NOT NULL,
  UNIQUE (tenant, code)
);
`;

// A trait's source is (tenant, code) in data_sources, so the database itself refuses a source of
// another tenant.
const traits = `
CREATE TABLE traits (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant           TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code             TEXT NOT NULL,
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('rule', 'onboarded', 'third-party', 'algorithmic')),
  rule             TEXT NOT NULL,
  rule_json        TEXT NOT NULL,
  lifetime_days    INTEGER NOT NULL DEFAULT 120 CHECK (lifetime_days > 0),
  folder           TEXT NOT NULL DEFAULT '',
  source           TEXT NOT NULL,
  integration_code TEXT,
  description      TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (tenant, code),
  FOREIGN KEY (tenant, source) REFERENCES data_sources(tenant, code)
);

CREATE TABLE trait_versions (
  trait      INTEGER NOT NULL REFERENCES traits(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL CHECK (version > 0),
  rule       TEXT NOT NULL,
  rule_json  TEXT NOT NULL,
  from_seq   INTEGER NOT NULL CHECK (from_seq >= 0),
  created_at TEXT NOT NULL,
  PRIMARY KEY (trait, version)
);
`;

const segments = `
CREATE TABLE segments (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant           TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code             TEXT NOT NULL,
  name             TEXT NOT NULL,
  rule             TEXT NOT NULL,
  rule_json        TEXT NOT NULL,
  description      TEXT,
  integration_code TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (tenant, code)
);
`;

/**
 * The catalog's schema, oldest step first.
 *
 * Example: `migrate(db, catalogMigrations)` brings any older catalog database up to date.
 */
export const catalogMigrations: readonly Migration[] = [
  { version: 1, name: 'tenants-and-keys', sql: tenantsAndKeys },
  { version: 2, name: 'traits', sql: traits },
  { version: 3, name: 'segments', sql: segments },
];
