import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import type { Clock } from '../../../src/core/clock.ts';
import type { PostgresCatalog } from '../../../src/catalog/postgres/pg-catalog.ts';
import { openPostgresCatalog, withoutPassword } from '../../../src/catalog/postgres/pg-catalog.ts';
import type { StoreFixture } from './store-fixture.ts';
import { POSTGRES_SERVER_URL } from './postgres-server.ts';

export { POSTGRES_SERVER_URL } from './postgres-server.ts';

let database: Promise<string> | undefined;
let admin: pg.Pool | undefined;

function howToStart(error: unknown): Error {
  return new Error(
    `PostgreSQL is not reachable at ${withoutPassword(POSTGRES_SERVER_URL)} (${(error as Error).message}). ` +
      'The catalog contract suites run against PostgreSQL as well as SQLite: start a server, e.g. ' +
      '`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16` or ' +
      '`sudo service postgresql start`, or point DMP_TEST_POSTGRES_URL at one ' +
      '(postgres://user:password@host:5432/postgres; the user must be allowed to CREATE DATABASE).',
    { cause: error },
  );
}

/**
 * The URL of this test process's own database (`opendmp_test_<random>`), made on first use and dropped
 * when the process's tests end, so that parallel runs never share one. Fails with how to start
 * PostgreSQL when there is none.
 *
 * Example: `const url = await testDatabaseUrl(); // postgres://127.0.0.1:5432/opendmp_test_3fa9c01b`
 */
export function testDatabaseUrl(): Promise<string> {
  database ??= (async () => {
    const name = `opendmp_test_${randomBytes(6).toString('hex')}`;
    const server = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 5000 });
    try {
      await server.connect();
      await server.query(`CREATE DATABASE ${name}`);
    } catch (error) {
      throw howToStart(error);
    } finally {
      await server.end().catch(() => undefined);
    }
    const url = new URL(POSTGRES_SERVER_URL);
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return database;
}

after(async () => {
  if (database === undefined) return;
  const url = await database.catch(() => undefined);
  if (url === undefined) return;
  await admin?.end();
  const server = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
  await server.connect();
  await server.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
  await server.end();
});

// Every table hangs off tenants (ON DELETE CASCADE) but the audit log, which refuses any DELETE: its
// trigger is set aside for this reset only, inside the transaction.
const EMPTY = `BEGIN;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
DELETE FROM audit_log;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
DELETE FROM tenants;
COMMIT`;

/**
 * Opens a PostgreSQL catalog on the test database emptied first (one schema per process, migrated once:
 * a schema per test would cost its DDL each time): `reopen` closes it and opens it again (a restarted
 * process), `close` closes it; the database goes when the process's tests end.
 *
 * Example: `const { stores, reopen, close } = await openPostgresFixture(manualClock(T0));`
 */
export async function openPostgresFixture(clock: Clock): Promise<StoreFixture<PostgresCatalog>> {
  const url = await testDatabaseUrl();
  const open = () => openPostgresCatalog(url, { clock, schema: 'contract', maxConnections: 4 });
  let current = await open();
  admin ??= new pg.Pool({ connectionString: url, max: 1, options: '-c search_path=contract' });
  await admin.query(EMPTY);
  return {
    stores: current,
    reopen: async () => {
      await current.close();
      current = await open();
      return current;
    },
    close: () => current.close(),
  };
}
