import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { manualClock } from '../../src/core/clock.ts';
import { maidOf } from '../helpers/fake-ids.ts';
import { startTestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const UID = 'guessable-visitor-42';
const MAID = maidOf(UID);

interface AuditAnswer {
  entries: { action: string; target: string; before?: unknown; after?: unknown }[];
}

/** Every form a bare SHA-256 of the visitor's ID could take (whole or cut, with or without the type). */
function bareHashes(idType: string, id: string): string[] {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  return [id, `${idType}:${id}`, `${idType}\u0000${id}`].flatMap((text) => [
    sha(text),
    sha(text).slice(0, 16),
  ]);
}

test('audit entries of deletions and opt-outs name the visitor by a keyed hash of its tenant', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const targets: Record<string, string[]> = {};
  for (const name of ['acme', 'globex']) {
    const { apiKey } = await h.app.catalog.createTenant(name);
    const stored = await h.call('POST', '/v1/events', apiKey, [{ uid: UID, ts: NOW - 1000 }]);
    assert.equal(stored.status, 202);
    assert.equal((await h.call('DELETE', `/v1/profiles/${UID}`, apiKey)).status, 200);
    const optOut = await h.call('POST', '/v1/optouts', apiKey, { idType: 'maid', id: MAID });
    assert.equal(optOut.status, 201, JSON.stringify(optOut.body));
    const audit = (await h.call('GET', '/v1/audit?limit=100', apiKey)).body as AuditAnswer;
    const privacy = audit.entries.filter((e) => e.action.startsWith('privacy.'));
    assert.deepEqual(privacy.map((e) => e.action).sort(), ['privacy.delete', 'privacy.optout']);
    for (const entry of privacy) assert.match(entry.target, /^visitor:[0-9a-f]{64}$/);
    targets[name] = privacy.map((e) => `${e.action} ${e.target}`).sort();
    const text = JSON.stringify(privacy);
    assert.ok(!text.includes(UID) && !text.includes(MAID), 'no ID in clear');
    for (const bare of [...bareHashes('uid', UID), ...bareHashes('maid', MAID)])
      assert.ok(!text.includes(bare), `no bare SHA-256 (${bare})`);
  }
  const [acme, globex] = [targets.acme!, targets.globex!];
  for (let i = 0; i < acme.length; i++) assert.notEqual(acme[i], globex[i], 'tenants hash the same ID apart');
});
