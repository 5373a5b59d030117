import assert from 'node:assert/strict';
import type { TestApp } from './test-app.ts';
import { CONSOLE_PASSWORD, consoleUser } from './console-users.ts';

/**
 * A console user's session, made as the user would: the tenant's key adds the user with `role`, the user
 * logs in and chooses `CONSOLE_PASSWORD`. Answers the headers (session cookie and CSRF token) that act as
 * the user in `h.call`.
 *
 * Example: `const mia = await userSession(h, apiKey, 'mia@acme.com', 'editor'); await h.call('GET', '/v1/traits', undefined, undefined, mia)`.
 */
export async function userSession(
  h: TestApp,
  apiKey: string,
  email: string,
  role: string,
): Promise<Record<string, string>> {
  const password = await consoleUser(h, apiKey, email, role);
  const login = await h.call('POST', '/v1/session', undefined, { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const cookie = /^dmp_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const headers = { cookie, 'x-csrf-token': (login.body as { csrfToken: string }).csrfToken };
  const changed = await h.call(
    'POST',
    '/v1/session/password',
    undefined,
    { current: password, new: CONSOLE_PASSWORD },
    headers,
  );
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  return headers;
}

/**
 * A console user's own API key, made as the user would: `userSession`, then the user makes a key. Calls
 * with it act as the user (the audit log names `user:EMAIL/key:ID`) with the user's role.
 *
 * Example: `const mia = await userKey(h, apiKey, 'mia@acme.com', 'editor'); await h.call('POST', '/v1/segments', mia, {...})`.
 */
export async function userKey(h: TestApp, apiKey: string, email: string, role: string): Promise<string> {
  const headers = await userSession(h, apiKey, email, role);
  const made = await h.call('POST', '/v1/users/me/api-keys', undefined, undefined, headers);
  assert.ok(made.status < 300, JSON.stringify(made.body));
  return (made.body as { key: string }).key;
}
