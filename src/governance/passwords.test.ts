import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, oneTimePassword, passwordProblem, verifyPassword } from './passwords.ts';
import { csrfMatches, Sessions } from './sessions.ts';

void test('passwords: scrypt with its salt and parameters, never the password; checked in constant time', async () => {
  const hash = await hashPassword('correct horse battery');
  assert.match(hash, /^scrypt\$32768\$8\$3\$[\w-]{22}\$[\w-]{43}$/);
  assert.equal(hash.includes('correct horse'), false);
  assert.notEqual(await hashPassword('correct horse battery'), hash, 'a fresh salt each time');
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.equal(await verifyPassword('x', 'md5$abc'), false, 'an unknown hash form matches nothing');
  assert.match(oneTimePassword(), /^[\w-]{20}$/);
  assert.match(passwordProblem('short') ?? '', /at least 12/);
  assert.equal(passwordProblem('twelve chars'), undefined);
});

void test('sessions: found by token, end at logout, when idle, at their lifetime, and per user', () => {
  let now = 0;
  const sessions = new Sessions(() => now, { lifetimeMs: 10_000, idleMs: 4_000 });
  const a = sessions.open('acme', 'ann@acme.com');
  const b = sessions.open('acme', 'ann@acme.com');
  assert.equal(sessions.get(a.token)?.email, 'ann@acme.com');
  assert.equal(csrfMatches(a.session, a.session.csrfToken), true);
  assert.equal(csrfMatches(a.session, b.session.csrfToken), false);
  assert.equal(csrfMatches(a.session, undefined), false);
  now = 3_000;
  assert.ok(sessions.get(a.token), 'used: idle time renewed');
  now = 5_000;
  assert.equal(sessions.get(b.token), undefined, 'idle over 4 s');
  now = 6_000;
  assert.ok(sessions.get(a.token));
  now = 9_500;
  assert.ok(sessions.get(a.token));
  now = 10_000;
  assert.equal(sessions.get(a.token), undefined, 'lifetime over');
  const c = sessions.open('acme', 'ann@acme.com');
  const d = sessions.open('acme', 'ann@acme.com');
  sessions.closeUser('acme', 'ann@acme.com', d.token);
  assert.equal(sessions.get(c.token), undefined);
  assert.ok(sessions.get(d.token), 'the kept one');
  sessions.close(d.token);
  assert.equal(sessions.get(d.token), undefined);
});
