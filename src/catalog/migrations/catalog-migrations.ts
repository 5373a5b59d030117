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

// Existing rows get no labels.
const dataSourceLabels = `
ALTER TABLE data_sources ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
`;

// Append-only: the triggers refuse any UPDATE or DELETE, whoever runs it, and an INSERT OR REPLACE
// (whose implicit delete fires no DELETE trigger). No ON DELETE CASCADE from
// tenants either, so a tenant with an audit trail cannot silently lose it. \`id\` counts within a tenant,
// so one tenant's IDs say nothing about another's activity.
const auditLog = `
CREATE TABLE audit_log (
  tenant      TEXT NOT NULL REFERENCES tenants(id),
  id          INTEGER NOT NULL CHECK (id > 0),
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  before_json TEXT,
  after_json  TEXT,
  PRIMARY KEY (tenant, id)
);
CREATE INDEX audit_log_action ON audit_log(tenant, action, id);
CREATE INDEX audit_log_target ON audit_log(tenant, target, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE tenant = NEW.tenant AND id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;

// Only the SHA-256 of idType NUL id is kept, never the ID.
const optOuts = `
CREATE TABLE opt_outs (
  tenant     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id_sha256  BLOB NOT NULL CHECK (length(id_sha256) = 32),
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant, id_sha256)
) WITHOUT ROWID;
`;

// Existing site keys keep working from anywhere.
const siteKeyOrigins = `
ALTER TABLE site_keys ADD COLUMN origins TEXT NOT NULL DEFAULT '["*"]';
`;

// One size per segment per UTC day, for trends (a year is kept).
const segmentSizes = `
CREATE TABLE segment_sizes (
  tenant     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  segment_id INTEGER NOT NULL,
  day        TEXT NOT NULL,
  size       INTEGER NOT NULL,
  PRIMARY KEY (tenant, segment_id, day)
) WITHOUT ROWID;
`;

// Destinations (activation): the validated definition is kept as JSON.
const destinations = `
CREATE TABLE destinations (
  tenant     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, code)
) WITHOUT ROWID;
`;

// Activation runs of batch destinations (http, file): history, counts, funnel, and dead letters.
const activationRuns = `
CREATE TABLE activation_runs (
  tenant       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  run_id       TEXT NOT NULL,
  destination  TEXT NOT NULL,
  campaign     TEXT,
  mode         TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  report       TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant, run_id)
) WITHOUT ROWID;
CREATE INDEX activation_runs_by_destination ON activation_runs (tenant, destination, started_at);
CREATE TABLE dead_letters (
  tenant      TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  destination TEXT NOT NULL,
  run_id      TEXT NOT NULL,
  batch_id    TEXT NOT NULL,
  reason      TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  payload     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX dead_letters_by_destination ON dead_letters (tenant, destination, id);
`;

// Campaigns: segments sent to several destinations for a flight of dates.
const campaigns = `
CREATE TABLE campaigns (
  tenant      TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (tenant, code)
) WITHOUT ROWID;
`;

// Each tenant's secret key for naming visitors by HMAC-SHA-256 (opt-outs, audit entries); never sent
// out. Existing tenants get one here (SQLite's randomblob: ChaCha20 seeded from the OS), new tenants
// from node:crypto at creation. Opt-outs stored before are bare SHA-256: marked 'sha256' and still
// checked in that form until the same ID is opted out again (then re-keyed); new rows are 'hmac'.
const visitorKeys = `
CREATE TABLE tenant_secrets (
  tenant      TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  visitor_key BLOB NOT NULL CHECK (length(visitor_key) = 32)
) WITHOUT ROWID;
INSERT INTO tenant_secrets (tenant, visitor_key) SELECT id, randomblob(32) FROM tenants;
ALTER TABLE opt_outs ADD COLUMN form TEXT NOT NULL DEFAULT 'sha256' CHECK (form IN ('sha256', 'hmac'));
`;

// ID-sync partners (issue 15): how to sync with each, checked by core/identity's checkSyncPartner.
const syncPartners = `
CREATE TABLE sync_partners (
  tenant           TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  code             TEXT NOT NULL,
  name             TEXT NOT NULL,
  sync_url         TEXT NOT NULL,
  type             TEXT NOT NULL CHECK (type IN ('redirect', 'iframe')),
  vendor_id        INTEGER CHECK (vendor_id IS NULL OR vendor_id > 0),
  resync_days      INTEGER NOT NULL CHECK (resync_days > 0),
  id_lifetime_days INTEGER NOT NULL CHECK (id_lifetime_days > 0),
  uid_macro        TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (tenant, code)
) WITHOUT ROWID;
`;

// Each tenant's identity settings (issue 15): eids source -> ID type overrides, ID lifetimes and caps
// per type, each a JSON object checked by the identity settings service; absent: the defaults.
const identitySettings = `
CREATE TABLE identity_settings (
  tenant           TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  eids_sources     TEXT NOT NULL,
  id_lifetime_days TEXT NOT NULL,
  id_caps          TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) WITHOUT ROWID;
`;

// Each tenant's users (issue 17): the e-mail in its normal form, the role, a scrypt hash of the password
// (never the password), and whether it is a one-time password. A user's API keys are rows of api_keys
// naming the user (NULL: a tenant key, which acts as admin); deleting a user deletes them.
const users = `
CREATE TABLE users (
  tenant               TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email                TEXT NOT NULL,
  role                 TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'analyst', 'viewer')),
  password_hash        TEXT NOT NULL,
  must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  PRIMARY KEY (tenant, email)
) WITHOUT ROWID;
CREATE INDEX users_by_email ON users(email);
ALTER TABLE api_keys ADD COLUMN user_email TEXT;
CREATE INDEX api_keys_user ON api_keys(tenant, user_email);
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
  { version: 4, name: 'data-source-labels', sql: dataSourceLabels },
  { version: 5, name: 'audit-log', sql: auditLog },
  { version: 6, name: 'opt-outs', sql: optOuts },
  { version: 7, name: 'site-key-origins', sql: siteKeyOrigins },
  { version: 8, name: 'segment-sizes', sql: segmentSizes },
  { version: 9, name: 'destinations', sql: destinations },
  { version: 10, name: 'activation-runs', sql: activationRuns },
  { version: 11, name: 'campaigns', sql: campaigns },
  { version: 12, name: 'visitor-keys', sql: visitorKeys },
  { version: 13, name: 'sync-partners', sql: syncPartners },
  { version: 14, name: 'identity-settings', sql: identitySettings },
  { version: 15, name: 'users', sql: users },
];
