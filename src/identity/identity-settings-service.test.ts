import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { manualClock } from '../core/clock.ts';
import { ServiceError } from '../core/service-error.ts';
import { Audit } from '../governance/audit.ts';
import { checkIdentitySettings } from './identity-settings-check.ts';
import { IdentitySettingsService } from './identity-settings-service.ts';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');

test('checkIdentitySettings names every bad field at once and keeps sources lower-case', () => {
  const bad = checkIdentitySettings({
    eidsSources: {
      'not a domain': 'x',
      'cookie.example': 'uid',
      'mail.example': 'email',
      'ID5-Sync.com': 'id5',
      'id5-sync.com': 'id5_b',
      'typed.example': 'Bad-Type',
      'number.example': 7,
    },
    idLifetimeDays: { maid: 0, 'Bad-Type': 30, crm: 3651 },
    idCaps: { uid: 0, maid: 101, ssp_a: 2.5 },
    colour: 'blue',
  });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok);
  assert.deepEqual(
    bad.errors.map((e) => e.field),
    [
      'colour',
      'eidsSources["not a domain"]',
      'eidsSources["cookie.example"]',
      'eidsSources["mail.example"]',
      'eidsSources["id5-sync.com"]',
      'eidsSources["typed.example"]',
      'eidsSources["number.example"]',
      'idLifetimeDays.maid',
      'idLifetimeDays["Bad-Type"]',
      'idLifetimeDays.crm',
      'idCaps.uid',
      'idCaps.maid',
      'idCaps.ssp_a',
    ],
  );
  const message = (field: string) => bad.errors.find((e) => e.field === field)?.message ?? '';
  assert.match(message('eidsSources["not a domain"]'), /domain name/);
  assert.match(message('eidsSources["cookie.example"]'), /our own cookie ID/);
  assert.match(message('eidsSources["mail.example"]'), /email_sha256/);
  assert.match(message('eidsSources["id5-sync.com"]'), /a second time/);
  assert.match(message('idLifetimeDays.maid'), /from 1 to 3650, not 0/);
  assert.match(message('idCaps.maid'), /from 1 to 100, not 101/);

  const good = checkIdentitySettings({
    eidsSources: { ' LiveRamp.com ': 'ramp_id', 'adserver.org': null },
    idCaps: { uid: 20 },
  });
  assert.deepEqual(good, {
    ok: true,
    settings: {
      eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null },
      idLifetimeDays: {},
      idCaps: { uid: 20 },
    },
  });
  assert.equal(checkIdentitySettings([]).ok, false);
});

test('IdentitySettingsService: defaults, a put replaces the settings, the mapping follows at once, audited', async (t) => {
  const clock = manualClock(T0);
  const catalog = await openSqliteCatalog(':memory:', { clock });
  t.after(() => catalog.close());
  const { tenant } = await catalog.createTenant('acme');
  const { tenant: other } = await catalog.createTenant('other');
  const identity = new IdentitySettingsService({ catalog, audit: new Audit(catalog) });

  const initial = await identity.get(tenant);
  assert.deepEqual(
    { ...initial, effective: undefined },
    { eidsSources: {}, idLifetimeDays: {}, idCaps: {}, updatedAt: null, effective: undefined },
  );
  assert.equal(initial.effective.eidsSources['liveramp.com'], 'liveramp');
  assert.deepEqual(initial.effective.idLifetimeDays, {
    perType: { crm: 730, email_sha256: 365, maid: 180, phone_sha256: 365, uid: 400 },
    otherwise: 90,
  });
  assert.deepEqual(initial.effective.idCaps, {
    perType: { crm: 2, email_sha256: 5, maid: 5, phone_sha256: 3, uid: 10 },
    otherwise: 3,
  });
  assert.equal((await identity.eidsMapping(tenant)).get('liveramp.com'), 'liveramp');

  clock.advance(60_000);
  const put = await identity.put(
    tenant,
    { eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null }, idLifetimeDays: { maid: 30 } },
    'key:aaaa',
  );
  assert.equal(put.updatedAt, '2026-03-01T00:01:00.000Z');
  assert.deepEqual(put.eidsSources, { 'liveramp.com': 'ramp_id', 'adserver.org': null });
  assert.equal(put.effective.eidsSources['liveramp.com'], 'ramp_id');
  assert.equal(put.effective.eidsSources['adserver.org'], undefined);
  assert.equal(put.effective.idLifetimeDays.perType.maid, 30);
  const mapping = await identity.eidsMapping(tenant);
  assert.equal(mapping.get('liveramp.com'), 'ramp_id');
  assert.equal(mapping.has('adserver.org'), false);
  assert.equal(
    (await identity.eidsMapping(other)).get('liveramp.com'),
    'liveramp',
    'other tenants keep theirs',
  );
  assert.deepEqual((await identity.identityOf(tenant)).caps.perType.uid, 10);

  // a second put replaces the whole document: fields left out are empty again
  await identity.put(tenant, { idCaps: { uid: 20 } }, 'key:bbbb');
  assert.equal((await identity.eidsMapping(tenant)).get('liveramp.com'), 'liveramp');
  assert.equal((await identity.identityOf(tenant)).caps.perType.uid, 20);

  const audit = await catalog.listAudit(tenant, { limit: 10 });
  assert.deepEqual(
    audit.map((e) => [e.actor, e.action, e.target, e.before, e.after]),
    [
      [
        'key:aaaa',
        'identity.settings.update',
        'identity:settings',
        undefined,
        {
          eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null },
          idLifetimeDays: { maid: 30 },
          idCaps: {},
        },
      ],
      [
        'key:bbbb',
        'identity.settings.update',
        'identity:settings',
        {
          eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null },
          idLifetimeDays: { maid: 30 },
          idCaps: {},
        },
        { eidsSources: {}, idLifetimeDays: {}, idCaps: { uid: 20 } },
      ],
    ],
  );

  // a restarted service reads them from the catalog
  const restarted = new IdentitySettingsService({ catalog, audit: new Audit(catalog) });
  assert.deepEqual((await restarted.get(tenant)).idCaps, { uid: 20 });
});

test('IdentitySettingsService: a refused put is a 422 listing every error, and changes nothing', async (t) => {
  const catalog = await openSqliteCatalog(':memory:', { clock: manualClock(T0) });
  t.after(() => catalog.close());
  const { tenant } = await catalog.createTenant('acme');
  const identity = new IdentitySettingsService({ catalog, audit: new Audit(catalog) });
  await identity.put(tenant, { eidsSources: { 'liveramp.com': 'ramp_id' } }, 'key:aaaa');

  await assert.rejects(
    identity.put(tenant, { eidsSources: { 'liveramp.com': 'uid' }, idCaps: { maid: 0 } }, 'key:aaaa'),
    (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.status, 422);
      assert.equal(e.code, 'invalid_identity_settings');
      assert.equal(e.extra.field, 'eidsSources["liveramp.com"]');
      assert.deepEqual(
        (e.extra.errors as { field: string }[]).map((x) => x.field),
        ['eidsSources["liveramp.com"]', 'idCaps.maid'],
      );
      return true;
    },
  );
  assert.equal((await identity.eidsMapping(tenant)).get('liveramp.com'), 'ramp_id');
  assert.deepEqual((await catalog.getIdentitySettings(tenant))?.eidsSources, { 'liveramp.com': 'ramp_id' });
  assert.equal((await catalog.listAudit(tenant, { limit: 10 })).length, 1);

  await assert.rejects(
    identity.put('ghost', {}, 'key:aaaa'),
    (e: unknown) => e instanceof ServiceError && e.status === 404,
  );
});
