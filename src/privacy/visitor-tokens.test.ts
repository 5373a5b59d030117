import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { manualClock } from '../core/clock.ts';
import { ServerSigner, loadServerSecret } from './server-signer.ts';
import { ServiceError } from '../core/service-error.ts';
import { MAX_TOKEN_UID_LENGTH, VisitorTokens } from './visitor-tokens.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const signer = new ServerSigner(Buffer.alloc(32, 7));
const uidArb = fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' });

void test('a token names its visitor for its tenant until it expires, whatever the uid', () => {
  fc.assert(
    fc.property(uidArb, fc.integer({ min: 1, max: 86_400 }), (uid, ttl) => {
      const clock = manualClock(NOW);
      const tokens = new VisitorTokens(signer, clock);
      const { token, expiresAt } = tokens.issue('acme', uid, ttl);
      assert.deepEqual(tokens.verify('acme', token), { ok: true, uid });
      assert.equal(tokens.verify('acme-2', token).ok, false, 'another tenant');
      assert.equal(Date.parse(expiresAt), Math.floor(NOW / 1000) * 1000 + ttl * 1000);
      clock.set(Date.parse(expiresAt));
      assert.equal(tokens.verify('acme', token).ok, false, 'expired');
    }),
  );
});

void test('a token changed in any one character is refused, and no text makes verify throw', () => {
  const tokens = new VisitorTokens(signer, manualClock(NOW));
  fc.assert(
    fc.property(uidArb, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (uid, at, c) => {
      const { token } = tokens.issue('acme', uid);
      const i = at % token.length;
      fc.pre(token[i] !== c);
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      assert.equal(tokens.verify('acme', changed).ok, false, changed);
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      assert.equal(tokens.verify('acme', text).ok, false);
    }),
  );
});

void test("a token signed with another server's secret, or for another uid, is refused", () => {
  const tokens = new VisitorTokens(signer, manualClock(NOW));
  const elsewhere = new VisitorTokens(new ServerSigner(Buffer.alloc(32, 8)), manualClock(NOW));
  assert.equal(tokens.verify('acme', elsewhere.issue('acme', 'c-1').token).ok, false);
  const [v, , expiry, mac] = tokens.issue('acme', 'c-1').token.split('.');
  const swapped = [v, Buffer.from('c-2').toString('base64url'), expiry, mac].join('.');
  assert.equal(tokens.verify('acme', swapped).ok, false);
  for (const [uid, ttl] of [
    ['', 60],
    ['c-1', 0],
    ['a\ud800', 60],
    ['x'.repeat(MAX_TOKEN_UID_LENGTH + 1), 60],
  ] as const) {
    assert.throws(
      () => tokens.issue('acme', uid, ttl),
      (e) => e instanceof ServiceError && e.status === 400,
    );
  }
});

void test('the server secret: configured, else made once in a file and kept; a short one is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dmp-secret-'));
  try {
    const file = join(dir, 'server-secret');
    const made = await loadServerSecret(file);
    assert.equal(made.length, 32);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await loadServerSecret(file), made, 'kept across restarts');
    assert.deepEqual(await readFile(file), made);
    const configured = 'x'.repeat(40);
    assert.deepEqual(await loadServerSecret(file, configured), Buffer.from(configured));
    await assert.rejects(loadServerSecret(file, 'short'), /DMP_SERVER_SECRET has 5 bytes/);
    await writeFile(file, 'tiny');
    await assert.rejects(loadServerSecret(file), /holds 4 bytes/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
