import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { manualClock } from '../../src/core/clock.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { DMP } from '../helpers/dmp-process.ts';
import { CONSOLE_PASSWORD, consoleUser } from '../helpers/console-users.ts';

const run = promisify(execFile);

/** Logs in and answers the headers a console sends: the session cookie and the CSRF token. */
async function logIn(h: TestApp, email: string, password: string): Promise<Record<string, string>> {
  const login = await h.call('POST', '/v1/session', undefined, { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const cookie = /^dmp_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  assert.match(login.headers.get('set-cookie') ?? '', /dmp_signed_in=1; Path=\/; SameSite=Strict/);
  return { cookie, 'x-csrf-token': (login.body as { csrfToken: string }).csrfToken };
}

/**
 * A password reset ends the user's sessions, wherever it is made: `dmp user add` of an existing user runs
 * in its own process, beside the server, and the server's sessions (held in its memory) still end at
 * their next use, because each session remembers the password it was opened under. The user's API keys
 * are not sessions: a key made before the reset keeps working (scripts do not break when a person
 * forgets a password); a user removed has none.
 */
test('a password reset by `dmp user add` ends the sessions the server holds; the user keys made before keep working', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-12-07T12:00:00Z')));
  t.after(() => h.close());
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');
  const first = await consoleUser(h, apiKey, 'mia@acme.com', 'editor');
  const before = await logIn(h, 'mia@acme.com', first);
  const changed = await h.call(
    'POST',
    '/v1/session/password',
    undefined,
    { current: first, new: CONSOLE_PASSWORD },
    before,
  );
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  // the session that changed the password goes on under the new one
  assert.equal((await h.call('GET', '/v1/session', undefined, undefined, before)).status, 200);
  const made = await h.call('POST', '/v1/users/me/api-keys', undefined, undefined, before);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const key = (made.body as { key: string }).key;
  const segment = { code: 'before_reset', name: 'Before', rule: 'visits >= 1' };
  assert.equal((await h.call('POST', '/v1/segments', key, segment)).status, 201);

  const { stdout } = await run(process.execPath, [
    DMP,
    'user',
    'add',
    tenant,
    'mia@acme.com',
    '--role',
    'editor',
    '--data',
    h.dataDir,
  ]);
  const reset = JSON.parse(stdout) as { password: string };

  const after = await h.call('GET', '/v1/session', undefined, undefined, before);
  assert.equal(after.status, 401, 'the session opened before the reset has ended');
  const segments = await h.call('GET', '/v1/segments', key);
  assert.equal(segments.status, 200, 'the key made before the reset still works');
  const again = { code: 'after_reset', name: 'After', rule: 'visits >= 2' };
  assert.equal((await h.call('POST', '/v1/segments', key, again)).status, 201);
  // the new one-time password logs in, and may only be changed
  const fresh = await logIn(h, 'mia@acme.com', reset.password);
  const session = await h.call('GET', '/v1/session', undefined, undefined, fresh);
  assert.equal((session.body as { mustChangePassword: boolean }).mustChangePassword, true);
  assert.equal(
    (await h.call('POST', '/v1/session', undefined, { email: 'mia@acme.com', password: CONSOLE_PASSWORD }))
      .status,
    401,
    'the password chosen before the reset no longer logs in',
  );
});
