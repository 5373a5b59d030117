/**
 * A PostgreSQL database of its own for one scaled-out deployment (tests and the capacity bench), made
 * and dropped on demand, with no `node:test` hook, so a benchmark can use it too. The server is the one
 * the catalog contract suites use (`DMP_TEST_POSTGRES_URL`, default the local server, trust).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_SERVER_URL } from '../contracts/catalog/postgres-server.ts';

/** A database made for one use: its URL, and `drop()` (with every connection to it). */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Makes `opendmp_test_<random>` on the test server.
 * Example: `const db = await createTestDatabase(); ...; await db.drop();`
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `opendmp_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function onServer(sql: string): Promise<void> {
  const server = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 5000 });
  try {
    await server.connect();
    await server.query(sql);
  } finally {
    await server.end().catch(() => undefined);
  }
}
