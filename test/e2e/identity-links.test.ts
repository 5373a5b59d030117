import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { manualClock } from '../../src/core/clock.ts';
import { seedDeviceRules } from '../helpers/device-rules.ts';
import { restartableApp } from '../helpers/restartable-app.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;
const LAPTOP = 'c-laptop-1';
const PHONE = 'c-phone-1';
const CRM = 'C-1001';
const MAID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const OPTED_MAID = '1e3a44c1-0a9c-4f3e-9d7e-2c0d6f1b9a10';
const PHONE_HASH = createHash('sha256').update('+12345678901').digest('hex');
const OTHER_HASH = createHash('sha256').update('bob@example.com').digest('hex');

interface Profile {
  uid: string;
  ids: Record<string, string>;
  attributes: { visits: number; firstSeen: string };
  traits: { code: string; count: number }[];
  segments: string[];
}

interface LinksAnswer {
  rows: number;
  linked: number;
  merged: number;
  unmatched: number;
  skipped: number;
  rejected: number;
  errors: { row: number; column: string; error: string }[];
}

async function size(h: TestApp, key: string, code: string): Promise<number> {
  const res = await h.call('GET', `/v1/segments/${code}/size`, key);
  assert.equal(res.status, 200);
  return (res.body as { size: number }).size;
}

async function profile(h: TestApp, key: string, path: string): Promise<Profile> {
  const res = await h.call('GET', path, key);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body as Profile;
}

/** Posts a link file as it is sent: its bytes, content type and (optionally) encoding. */
async function upload(
  h: TestApp,
  key: string,
  body: string | Buffer,
  type = 'text/csv',
  encoding?: string,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': type };
  if (encoding !== undefined) headers['content-encoding'] = encoding;
  const res = await fetch(`${h.base}/v1/identity/links`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json() };
}

test('an ID-link file joins a laptop and a phone into one visitor, across restarts and a deletion', async (t) => {
  const app = await restartableApp(t, NOW, 'opendmp-links-');
  let h = app.h;
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await h.call('POST', path, apiKey, body);
    assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await seedDeviceRules(h, apiKey);
  await post('/v1/events', [
    // the laptop's browser, logged in to the shop: our cookie and the CRM ID
    { uid: LAPTOP, ids: { crm: CRM }, url: 'https://shop.example.com/pricing', ts: NOW - 60 * MIN },
    // the app's web view: our cookie with the device ID
    { uid: PHONE, ids: { maid: MAID }, type: 'app_open', ts: NOW - 50 * MIN },
    { uid: 'c-other', url: 'https://shop.example.com/pricing', ts: NOW - 45 * MIN },
  ]);
  await post('/v1/optouts', { idType: 'maid', id: OPTED_MAID });
  assert.equal(await size(h, apiKey, 'everyone'), 3);
  assert.equal(await size(h, apiKey, 'both'), 0);

  const file = [
    'crm,email_sha256,maid',
    `${CRM},,${MAID.toUpperCase()}`, // the CRM's match: the laptop's and the phone's profiles merge
    'C-2002,ann@example.com,', // a clear e-mail: rejected, the other rows kept
    `C-3003,${OTHER_HASH},`, // IDs no profile holds: no visitor is made
    'C-4004,,', // one ID: nothing to link
    `C-5005,,${OPTED_MAID}`, // an opted-out device: skipped
    '',
  ].join('\n');
  const answer = await upload(h, apiKey, file);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const report = answer.body as LinksAnswer;
  assert.deepEqual(
    { ...report, errors: report.errors.map((e) => [e.row, e.column]) },
    { rows: 5, linked: 1, merged: 1, unmatched: 1, skipped: 2, rejected: 1, errors: [[3, 'email_sha256']] },
  );
  assert.match(report.errors[0]!.error, /takes a hash, not a clear e-mail address.*sha256sum/);
  assert.doesNotMatch(JSON.stringify(report), /ann@example/, 'the address is not echoed');
  // a second file, tab-separated and gzipped, adds the phone number's hash to the visitor
  const tsv = gzipSync(`crm\tphone_sha256\n${CRM}\t${PHONE_HASH}\n`);
  const second = await upload(h, apiKey, tsv, 'text/tab-separated-values', 'gzip');
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.deepEqual(second.body, {
    rows: 1,
    linked: 1,
    merged: 0,
    unmatched: 0,
    skipped: 0,
    rejected: 0,
    errors: [],
  });

  const check = async (): Promise<void> => {
    const byLaptop = await profile(h, apiKey, `/v1/profiles/${LAPTOP}`);
    for (const path of [
      `/v1/profiles/${PHONE}`,
      `/v1/profiles/x?idType=maid&id=${MAID}`,
      `/v1/profiles/x?idType=crm&id=${CRM}`,
      `/v1/profiles/x?idType=phone_sha256&id=${PHONE_HASH}`,
    ])
      assert.deepEqual(await profile(h, apiKey, path), byLaptop, path);
    assert.equal(byLaptop.uid, LAPTOP, 'the profile seen first survives');
    assert.deepEqual(byLaptop.ids, { uid: LAPTOP, crm: CRM, maid: MAID, phone_sha256: PHONE_HASH });
    assert.deepEqual(byLaptop.traits.map((x) => [x.code, x.count]).sort(), [
      ['app_user', 1],
      ['pricing', 1],
    ]);
    assert.deepEqual([...byLaptop.segments].sort(), ['both', 'everyone']);
    // counted once: the joined visitor and c-other
    assert.equal(await size(h, apiKey, 'everyone'), 2);
    assert.equal(await size(h, apiKey, 'both'), 1);
    for (const [type, id] of [
      ['crm', 'C-3003'],
      ['email_sha256', OTHER_HASH],
      ['crm', 'C-5005'],
    ])
      assert.equal((await h.call('GET', `/v1/profiles/x?idType=${type}&id=${id}`, apiKey)).status, 404, id);
  };
  await check();

  // replayed from the log alone (no snapshot yet), then from a snapshot and the log after it
  h = await app.restart();
  await check();
  await h.app.sweep();
  h = await app.restart();
  await check();

  // a subject access request shows what the files said about the visitor: its rows, not the others
  const exported = await h.call('GET', `/v1/profiles/x/export?idType=maid&id=${MAID}`, apiKey);
  assert.equal(exported.status, 200, JSON.stringify(exported.body));
  const { idLinks } = exported.body as { idLinks: { ids: [string, string][] }[] };
  assert.deepEqual(
    idLinks.map((l) => l.ids),
    [
      [
        ['crm', CRM],
        ['maid', MAID],
      ],
      [
        ['crm', CRM],
        ['phone_sha256', PHONE_HASH],
      ],
    ],
  );

  const deleted = await h.call('DELETE', `/v1/profiles/x?idType=maid&id=${MAID}`, apiKey);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  const gone = async (): Promise<void> => {
    for (const path of [
      `/v1/profiles/${LAPTOP}`,
      `/v1/profiles/${PHONE}`,
      `/v1/profiles/x?idType=crm&id=${CRM}`,
      `/v1/profiles/x?idType=phone_sha256&id=${PHONE_HASH}`,
    ])
      assert.equal((await h.call('GET', path, apiKey)).status, 404, path);
    assert.equal(await size(h, apiKey, 'everyone'), 1);
    assert.equal(await size(h, apiKey, 'both'), 0);
  };
  await gone();
  await h.app.sweep();
  // no record names the visitor's IDs: its rows are taken out of the link files' records; other rows stay
  const named: string[] = [];
  let otherRows = 0;
  await h.app.log.replay(1, (_seq, record) => {
    const text = JSON.stringify(record);
    for (const id of [LAPTOP, PHONE, MAID, CRM, PHONE_HASH])
      if (text.includes(id)) named.push(`${record.kind} names ${id}`);
    if (record.kind === 'links' && text.includes('C-3003')) otherRows++;
  });
  assert.deepEqual(named, [], 'no record in the log names the deleted visitor');
  assert.equal(otherRows, 1, 'the unmatched row of the first file stays in its record');
  h = await app.restart();
  await gone();
});

test('an ID-link file with a header that cannot be read, or of another type, changes nothing', async (t) => {
  const h = await startTestApp(manualClock(NOW));
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const bad = await upload(h, apiKey, 'crm,email\nC-1,ann@example.com\n');
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  assert.match(JSON.stringify(bad.body), /name it email_sha256/);
  const json = await h.call('POST', '/v1/identity/links', apiKey, { crm: 'C-1' });
  assert.equal(json.status, 415, JSON.stringify(json.body));
  const anonymous = await fetch(`${h.base}/v1/identity/links`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: 'crm,maid\n',
  });
  assert.equal(anonymous.status, 401);
  assert.equal(h.app.log.lastSeq(), 0, 'nothing was written to the log');
  const spec = (await h.call('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { tags?: string[]; responses?: Record<string, unknown> }>>;
  };
  const route = spec.paths['/v1/identity/links']?.post;
  assert.deepEqual(route?.tags, ['identity'], 'the route is in the OpenAPI document');
  assert.ok(route?.responses?.['200'] !== undefined, 'with its answer');
});
