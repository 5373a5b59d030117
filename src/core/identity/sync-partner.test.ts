import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSyncPartner } from './sync-partner.ts';

const SYNC_URL =
  'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&us_privacy=${US_PRIVACY}&gpp=${GPP}&gpp_sid=${GPP_SID}&redir=${REDIRECT}';

function errors(value: unknown): string[] {
  const checked = checkSyncPartner(value);
  assert.equal(checked.ok, false, 'expected errors');
  return (checked as { errors: string[] }).errors;
}

void describe('checkSyncPartner', () => {
  void it('accepts the documented partner as it is', () => {
    const partner = {
      code: 'ssp_a',
      name: 'SSP A',
      syncUrl: SYNC_URL,
      type: 'redirect',
      vendorId: 755,
      resyncDays: 14,
      idLifetimeDays: 90,
      uidMacro: '$UID',
    };
    assert.deepEqual(checkSyncPartner(partner), { ok: true, partner });
  });

  void it('fills the defaults: resync 14 days, lifetime 90, $UID, no vendor', () => {
    assert.deepEqual(
      checkSyncPartner({
        code: 'ssp_b',
        name: 'B',
        type: 'iframe',
        syncUrl: 'https://b.example/s',
        vendorId: null,
      }),
      {
        ok: true,
        partner: {
          code: 'ssp_b',
          name: 'B',
          type: 'iframe',
          syncUrl: 'https://b.example/s',
          resyncDays: 14,
          idLifetimeDays: 90,
          uidMacro: '$UID',
        },
      },
    );
  });

  void it('gives every error at once, each naming its field', () => {
    const found = errors({
      code: 'maid',
      name: '',
      syncUrl: 'https://a.example/?c=${GDPR_CONSENT_32}',
      type: 'image',
      vendorId: 755,
      resyncDays: 0,
      idLifetimeDays: 5000,
      uidMacro: 'a b',
      extra: 1,
    });
    assert.equal(found.length, 8, found.join('\n'));
    assert.match(found[0]!, /^unknown field\(s\) extra; the fields are code, name, /);
    assert.match(found[1]!, /^code: partner code "maid" is a built-in ID type/);
    assert.match(found[2]!, /^name: /);
    assert.match(found[3]!, /^type: must be "redirect" or "iframe"/);
    assert.match(
      found[4]!,
      /^syncUrl: \$\{GDPR_CONSENT_32\} is the TC string for vendor 32, but the partner's vendorId is 755/,
    );
    assert.match(found[5]!, /^resyncDays: /);
    assert.match(found[6]!, /^idLifetimeDays: a lifetime must be a whole number/);
    assert.match(found[7]!, /^uidMacro: /);
  });

  void it('refuses a lifetime shorter than the resync period', () => {
    assert.deepEqual(
      errors({
        code: 'x',
        name: 'X',
        type: 'redirect',
        syncUrl: 'https://x.example/',
        resyncDays: 30,
        idLifetimeDays: 7,
      }),
      [
        "idLifetimeDays: 7 is shorter than resyncDays (30): the partner's ID would expire before the next sync",
      ],
    );
  });

  void it('never throws on untrusted JSON', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const checked = checkSyncPartner(value);
        assert.ok(checked.ok || checked.errors.length > 0);
      }),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            code: fc.oneof(fc.constant('ssp_a'), fc.string()),
            name: fc.string(),
            type: fc.constantFrom('redirect', 'iframe', 'x'),
            syncUrl: fc.oneof(fc.constant(SYNC_URL), fc.webUrl(), fc.string()),
            vendorId: fc.oneof(fc.integer(), fc.constant(null)),
            resyncDays: fc.integer({ min: -2, max: 400 }),
            idLifetimeDays: fc.integer({ min: -2, max: 4000 }),
            uidMacro: fc.string(),
          },
          { requiredKeys: [] },
        ),
        (value) => {
          const checked = checkSyncPartner(value);
          if (checked.ok) assert.ok(checked.partner.idLifetimeDays >= checked.partner.resyncDays);
        },
      ),
    );
  });
});
