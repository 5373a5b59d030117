import { userInfo } from 'node:os';

/**
 * The server the PostgreSQL tests use: `DMP_TEST_POSTGRES_URL` (any database on it; the tests make
 * their own), by default the local server as `PGUSER` or the system user, with trust authentication.
 */
export const POSTGRES_SERVER_URL =
  process.env.DMP_TEST_POSTGRES_URL ??
  `postgres://${encodeURIComponent(process.env.PGUSER ?? userInfo().username)}@127.0.0.1:5432/postgres`;
