import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { manualClock } from '../../src/core/clock.ts';
import { ROUTE_PERMISSIONS } from '../../src/api/route-permissions.ts';
import { API_KEY_TTL_MS } from '../../src/api/auth.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { DMP } from '../helpers/dmp-process.ts';

const run = promisify(execFile);
const PASSWORD = 'a long enough new secret';

interface Problem {
  code: string;
  detail: string;
}

/** A logged-in console user: the cookie and CSRF token, and a `call` that sends them. */
interface Browser {
  cookie: string;
  csrf: string;
  call(method: string, path: string, body?: unknown, csrf?: boolean): ReturnType<TestApp['call']>;
}

async function login(h: TestApp, email: string, password: string, tenant?: string): Promise<Browser> {
  const answer = await h.call('POST', '/v1/session', undefined, { email, password, tenant });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const setCookie = answer.headers.get('set-cookie') ?? '';
  const cookie = /^dmp_session=[^;]+/.exec(setCookie)?.[0] ?? '';
  const csrf = (answer.body as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    call: (method, path, body, withCsrf = true) =>
      h.call(method, path, undefined, body, { cookie, ...(withCsrf ? { 'x-csrf-token': csrf } : {}) }),
  };
}

/** Adds a user with the tenant's key, logs in with the one-time password and changes it. */
async function userWithRole(h: TestApp, apiKey: string, email: string, role: string): Promise<Browser> {
  const made = await h.call('POST', '/v1/users', apiKey, { email, role });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { password } = made.body as { password: string };
  const browser = await login(h, email, password);
  const changed = await browser.call('POST', '/v1/session/password', { current: password, new: PASSWORD });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  return browser;
}

test('users and sessions: login, one-time password, CSRF, roles enforced by the API, user keys, audit, logout', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');

  // an admin (the tenant's own key) adds a user: the one-time password is answered once
  const made = await h.call('POST', '/v1/users', apiKey, { email: ' Ann@Acme.com ', role: 'editor' });
  assert.equal(made.status, 201);
  const { email, role, password } = made.body as { email: string; role: string; password: string };
  assert.deepEqual([email, role], ['ann@acme.com', 'editor']);
  assert.equal(
    (await h.call('POST', '/v1/users', apiKey, { email: 'ann@acme.com', role: 'viewer' })).status,
    409,
  );
  const listed = (await h.call('GET', '/v1/users', apiKey)).body as { users: { email: string }[] };
  assert.deepEqual(
    listed.users.map((u) => u.email),
    ['ann@acme.com'],
  );
  assert.equal(JSON.stringify(listed).includes(password), false, 'never listed');

  // a wrong password is one 401; the right one sets a secure cookie
  const wrong = await h.call('POST', '/v1/session', undefined, { email, password: 'not the password' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const answer = await h.call('POST', '/v1/session', undefined, { email: 'ANN@acme.com', password });
  assert.equal(answer.status, 200);
  const setCookie = answer.headers.get('set-cookie') ?? '';
  for (const part of ['HttpOnly', 'SameSite=Strict', 'Path=/']) assert.ok(setCookie.includes(part), part);
  assert.equal(setCookie.includes('Secure'), false, 'plain HTTP: no Secure');
  assert.deepEqual(
    { ...(answer.body as object), csrfToken: undefined },
    { email, role: 'editor', tenant, mustChangePassword: true, csrfToken: undefined },
  );

  // a one-time password must be changed first, with the CSRF token
  const ann = await login(h, email, password);
  const blocked = await ann.call('GET', '/v1/segments');
  assert.equal(blocked.status, 403);
  assert.equal((blocked.body as Problem).code, 'password_change_required');
  const noCsrf = await ann.call('POST', '/v1/session/password', { current: password, new: PASSWORD }, false);
  assert.equal(noCsrf.status, 403);
  assert.equal((noCsrf.body as Problem).code, 'csrf_failed');
  const short = await ann.call('POST', '/v1/session/password', { current: password, new: 'short' });
  assert.equal(short.status, 400);
  assert.match((short.body as Problem).detail, /at least 12 characters/);
  const changed = await ann.call('POST', '/v1/session/password', { current: password, new: PASSWORD });
  assert.equal(changed.status, 200);
  assert.equal((changed.body as { mustChangePassword: boolean }).mustChangePassword, false);

  // an editor creates a segment (with the CSRF token only); the audit log names the user
  const segment = { code: 'london', name: 'London', rule: 'geo.city == "London"' };
  const forged = await ann.call('POST', '/v1/segments', segment, false);
  assert.equal(forged.status, 403);
  assert.equal((forged.body as Problem).code, 'csrf_failed');
  assert.equal((await ann.call('POST', '/v1/segments', segment)).status, 201);
  const audit = (await h.call('GET', '/v1/audit?limit=100', apiKey)).body as {
    entries: { actor: string; action: string; target: string }[];
  };
  const created = audit.entries.find((e) => e.action === 'segment.create');
  assert.equal(created?.actor, 'user:ann@acme.com');
  assert.ok(audit.entries.some((e) => e.action === 'user.create' && e.target === 'user:ann@acme.com'));
  assert.equal(JSON.stringify(audit).includes(password), false, 'no password in the audit log');
  // an editor may not manage users nor read the audit log
  assert.equal((await ann.call('GET', '/v1/users')).status, 403);
  assert.equal((await ann.call('GET', '/v1/audit')).status, 403);

  // a viewer reads but cannot save: 403 naming the role and the permission
  const vic = await userWithRole(h, apiKey, 'vic@acme.com', 'viewer');
  assert.equal((await vic.call('GET', '/v1/segments')).status, 200);
  const refused = await vic.call('POST', '/v1/segments', { ...segment, code: 'other' });
  assert.equal(refused.status, 403);
  assert.equal((refused.body as Problem).code, 'forbidden');
  assert.match((refused.body as Problem).detail, /role 'viewer' lacks the permission 'edit'/);
  assert.match((refused.body as Problem).detail, /'editor' or above/);
  assert.equal((await vic.call('POST', '/v1/audience/size', { rule: segment.rule })).status, 403);

  // an analyst sizes but cannot save
  const ali = await userWithRole(h, apiKey, 'ali@acme.com', 'analyst');
  const size = await ali.call('POST', '/v1/audience/size', { rule: segment.rule });
  assert.equal(size.status, 200, JSON.stringify(size.body));
  assert.equal((await ali.call('GET', '/v1/segments/london/size')).status, 200);
  assert.equal((await ali.call('DELETE', '/v1/segments/london')).status, 403);

  // a user's own API key acts with the user's role, needs no CSRF token, and can be revoked
  const key = (await ali.call('POST', '/v1/users/me/api-keys')).body as { key: string; keyId: string };
  assert.match(key.key, /^dmp_/);
  assert.equal((await h.call('POST', '/v1/audience/size', key.key, { rule: segment.rule })).status, 200);
  assert.equal((await h.call('POST', '/v1/segments', key.key, { ...segment, code: 'k' })).status, 403);
  const whoKey = (await h.call('GET', '/v1/session', key.key)).body as { email: string; role: string };
  assert.deepEqual([whoKey.email, whoKey.role], ['ali@acme.com', 'analyst']);
  const events = await h.call('POST', '/v1/events', key.key, [
    { type: 'page', uid: 'u1', url: 'https://x.test/' },
  ]);
  assert.equal(events.status, 403, "an analyst's key sends no events");
  const keys = (await ali.call('GET', '/v1/users/me/api-keys')).body as { apiKeys: { keyId: string }[] };
  assert.deepEqual(
    keys.apiKeys.map((k) => k.keyId),
    [key.keyId],
  );
  assert.equal(
    (await h.call('GET', '/v1/users/me/api-keys', apiKey)).status,
    400,
    'a tenant key has no user',
  );

  // the admin promotes the analyst: the session and the key act as editor at once (the key within its 1 s cache)
  const promoted = await h.call('PATCH', '/v1/users/ali@acme.com', apiKey, { role: 'editor' });
  assert.equal((promoted.body as { role: string }).role, 'editor');
  assert.equal((await ali.call('POST', '/v1/segments', { ...segment, code: 'by_ali' })).status, 201);
  assert.equal((await ali.call('DELETE', `/v1/users/me/api-keys/${key.keyId}`)).status, 204);
  // the API holds a valid key's identity for API_KEY_TTL_MS (1 s): a revoked key fails once that is over
  await new Promise((resolve) => setTimeout(resolve, API_KEY_TTL_MS + 100));
  assert.equal((await h.call('GET', '/v1/segments', key.key)).status, 401, 'a revoked key');

  // an admin user manages users; a removed user's session ends
  const ada = await userWithRole(h, apiKey, 'ada@acme.com', 'admin');
  assert.equal((await ada.call('GET', '/v1/users')).status, 200);
  assert.equal((await ada.call('DELETE', '/v1/users/vic@acme.com')).status, 204);
  assert.equal((await vic.call('GET', '/v1/segments')).status, 401);
  const removed = (await h.call('GET', '/v1/audit?action=user.delete', apiKey)).body as {
    entries: { actor: string; target: string }[];
  };
  assert.deepEqual(
    removed.entries.map((e) => [e.actor, e.target]),
    [['user:ada@acme.com', 'user:vic@acme.com']],
  );

  // logout ends the session
  assert.equal((await ann.call('DELETE', '/v1/session')).status, 204);
  assert.equal((await ann.call('GET', '/v1/session')).status, 401);

  // failed logins are limited per account: over the limit even the right password waits
  for (let i = 0; i < 10; i++)
    await h.call('POST', '/v1/session', undefined, { email: 'ada@acme.com', password: `guess ${i}` });
  const limited = await h.call('POST', '/v1/session', undefined, {
    email: 'ada@acme.com',
    password: PASSWORD,
  });
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});

test("one tenant never sees, changes or logs in as another's users", async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  const alpha = await h.app.catalog.createTenant('alpha');
  const beta = await h.app.catalog.createTenant('beta');
  const made = await h.call('POST', '/v1/users', alpha.apiKey, { email: 'ann@x.com', role: 'admin' });
  const { password } = made.body as { password: string };
  assert.deepEqual((await h.call('GET', '/v1/users', beta.apiKey)).body, { users: [] });
  assert.equal((await h.call('PATCH', '/v1/users/ann@x.com', beta.apiKey, { role: 'viewer' })).status, 404);
  assert.equal((await h.call('DELETE', '/v1/users/ann@x.com', beta.apiKey)).status, 404);
  assert.equal((await h.call('GET', '/v1/users/ann@x.com/api-keys', beta.apiKey)).status, 404);
  const elsewhere = { email: 'ann@x.com', password, tenant: beta.tenant };
  assert.equal((await h.call('POST', '/v1/session', undefined, elsewhere)).status, 401);
  const ann = await login(h, 'ann@x.com', password, alpha.tenant);
  const who = (await ann.call('GET', '/v1/session')).body as { tenant: string };
  assert.equal(who.tenant, alpha.tenant);
});

test('every permission in the table is a route the server has, and each route is in the table', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  for (const entry of Object.keys(ROUTE_PERMISSIONS)) {
    const [method, url] = entry.split(' ') as [string, string];
    assert.ok(h.app.server.hasRoute({ method: method, url }), `${entry} is a route`);
  }
});

test('dmp user add prints {email, role, password}; the password logs in; adding again resets it', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  const { tenant } = await h.app.catalog.createTenant('acme');
  const add = async (role: string) => {
    const { stdout } = await run(process.execPath, [
      DMP,
      'user',
      'add',
      tenant,
      'Cli@Acme.com',
      '--role',
      role,
      '--data',
      h.dataDir,
    ]);
    return JSON.parse(stdout) as Record<string, string>;
  };
  const first = await add('viewer');
  assert.deepEqual(Object.keys(first), ['email', 'role', 'password']);
  assert.deepEqual([first.email, first.role], ['cli@acme.com', 'viewer']);
  const session = await login(h, 'cli@acme.com', first.password!);
  assert.equal((await session.call('GET', '/v1/session')).status, 200);
  const second = await add('editor');
  assert.notEqual(second.password, first.password);
  assert.equal(
    (await h.call('POST', '/v1/session', undefined, { email: 'cli@acme.com', password: first.password }))
      .status,
    401,
  );
  await login(h, 'cli@acme.com', second.password!);
  await assert.rejects(
    run(process.execPath, [DMP, 'user', 'add', tenant, 'x@acme.com', '--role', 'root', '--data', h.dataDir]),
    (e: { code: number; stderr: string }) => e.code === 1 && /not a role/.test(e.stderr),
  );
  await assert.rejects(
    run(process.execPath, [
      DMP,
      'user',
      'add',
      'ghost',
      'x@acme.com',
      '--role',
      'viewer',
      '--data',
      h.dataDir,
    ]),
    (e: { stderr: string }) => /no tenant 'ghost'/.test(e.stderr),
  );
});

test('the last admin user can be neither demoted nor removed (409 last_admin); with a second admin both can', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  assert.equal(
    (await h.call('POST', '/v1/users', apiKey, { email: 'ann@x.com', role: 'admin' })).status,
    201,
  );
  assert.equal(
    (await h.call('POST', '/v1/users', apiKey, { email: 'bob@x.com', role: 'viewer' })).status,
    201,
  );
  for (const [method, body] of [
    ['PATCH', { role: 'editor' }],
    ['DELETE', undefined],
  ] as const) {
    const refused = await h.call(method, '/v1/users/ann@x.com', apiKey, body);
    assert.equal(refused.status, 409, `${method}: ${JSON.stringify(refused.body)}`);
    assert.equal((refused.body as { code: string }).code, 'last_admin');
    assert.match((refused.body as { detail: string }).detail, /make another user admin first/);
  }
  assert.equal((await h.call('PATCH', '/v1/users/bob@x.com', apiKey, { role: 'admin' })).status, 200);
  assert.equal((await h.call('PATCH', '/v1/users/ann@x.com', apiKey, { role: 'editor' })).status, 200);
  assert.equal((await h.call('DELETE', '/v1/users/ann@x.com', apiKey)).status, 204);
});
