import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  checkId,
  checkIdType,
  checkLifetimeDays,
  checkPartnerCode,
  DEFAULT_LIFETIME_DAYS,
  EMAIL_HASH_HOW,
  idLifetimeDays,
  MAX_ID_LENGTH,
  PARTNER_ID_LIFETIME_DAYS,
  PHONE_HASH_HOW,
} from './id-types.ts';

const IFA = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const EMAIL_HASH = sha256('user@example.com');

function error(result: { ok: true } | { ok: false; error: string }): string {
  assert.equal(result.ok, false, 'expected an error');
  return (result as { error: string }).error;
}

void describe('checkIdType', () => {
  void it('accepts lower-case letters, digits and _ up to 32 characters (as the collector)', () => {
    for (const name of ['uid', 'maid', 'email_sha256', 'ssp_a', '33across', 'a'.repeat(32)]) {
      assert.deepEqual(checkIdType(name), { ok: true, type: name });
    }
  });
  void it('refuses other names, saying why', () => {
    assert.match(error(checkIdType('SSP-A')), /lower-case letters, digits and _ \(e\.g\. "ssp_a"\)/);
    assert.match(error(checkIdType('ssp a')), /lower-case letters, digits and _$/);
    assert.match(error(checkIdType('')), /must not be empty/);
    assert.match(error(checkIdType('a'.repeat(33))), /33 characters long; the limit is 32/);
    assert.match(error(checkIdType(42)), /must be a string, not number/);
    assert.match(error(checkIdType(null)), /not null/);
    assert.match(error(checkIdType('__proto__')), /reserved/);
  });
});

void describe('idLifetimeDays and checkLifetimeDays', () => {
  void it('gives the tenant setting, else the built-in default, else the partner default', () => {
    assert.equal(idLifetimeDays('uid'), 400);
    assert.equal(idLifetimeDays('maid'), DEFAULT_LIFETIME_DAYS.maid);
    assert.equal(idLifetimeDays('maid', { maid: 30 }), 30);
    assert.equal(idLifetimeDays('ssp_a'), PARTNER_ID_LIFETIME_DAYS);
    assert.equal(idLifetimeDays('ssp_a', { ssp_a: 14 }), 14);
    assert.equal(idLifetimeDays('toString'), PARTNER_ID_LIFETIME_DAYS);
  });
  void it('accepts whole days from 1 to 3650 only', () => {
    assert.deepEqual(checkLifetimeDays(90), { ok: true, days: 90 });
    for (const bad of [0, -1, 1.5, 3651, '90', null, Number.NaN]) {
      assert.match(error(checkLifetimeDays(bad)), /whole number of days from 1 to 3650/);
    }
  });
});

void describe('checkId', () => {
  void it('keeps IDs in the form normaliseId gives', () => {
    const cases: [string, string, string][] = [
      ['maid', IFA.toUpperCase(), IFA],
      ['maid', IFA.replace(/-/g, ''), IFA],
      ['maid', ` {${IFA}} `, IFA],
      ['idfa', IFA.toUpperCase(), IFA],
      ['email_sha256', EMAIL_HASH.toUpperCase(), EMAIL_HASH],
      ['email_sha256', ` ${EMAIL_HASH} `, EMAIL_HASH],
      ['phone_sha256', sha256('+12345678901'), sha256('+12345678901')],
      ['email_md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['uid', 'Ab-12', 'Ab-12'],
      ['crm', 'Cust-42', 'Cust-42'],
      ['ssp_a', 'XlV6w9HM6LYAAHx2YJ4AAACZ&476', 'XlV6w9HM6LYAAHx2YJ4AAACZ&476'],
    ];
    for (const [type, value, kept] of cases) assert.deepEqual(checkId(type, value), { ok: true, id: kept });
  });

  void it('refuses a clear e-mail for email_sha256 with how to hash, without echoing it', () => {
    const message = error(checkId('email_sha256', 'Jane.Doe@Example.com'));
    assert.ok(message.includes(EMAIL_HASH_HOW));
    assert.match(message, /printf %s 'user@example\.com' \| sha256sum/);
    assert.match(message, /crypto\.createHash\('sha256'\)/);
    assert.ok(!message.includes('Jane.Doe'), 'the address is not echoed');
  });

  void it('gives the hash its example shows, which is the UID2 documentation hash', () => {
    assert.ok(EMAIL_HASH_HOW.includes(sha256('user@example.com')));
    assert.equal(
      sha256('user@example.com'),
      'b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514',
    );
    assert.ok(PHONE_HASH_HOW.includes(sha256('+12345678901')));
    assert.equal(sha256('+12345678901'), '10e6f0b47054a83359477dcb35231db6de5c69fb1816e1a6b98e192de9e5b9ee');
  });

  void it('refuses an email or phone type, naming the hashed type to use', () => {
    assert.match(error(checkId('email', 'jane@example.com')), /send email_sha256 instead: trim the address/);
    assert.match(
      error(checkId('phone', '+33612345678')),
      /send phone_sha256 instead: write the number in E\.164/,
    );
  });

  void it('refuses a clear phone number for phone_sha256 with how to hash, without echoing it', () => {
    for (const phone of ['+33 6 12 34 56 78', '(555) 010-9999', '+447911123456']) {
      const message = error(checkId('phone_sha256', phone));
      assert.ok(message.includes(PHONE_HASH_HOW), message);
      assert.ok(!message.includes(phone));
    }
  });

  void it('refuses a hash of the wrong length or with non-hex digits', () => {
    assert.match(
      error(checkId('email_sha256', 'abcdef')),
      /SHA256 hash written as 64 hex digits; this value has 6 hex digits/,
    );
    assert.match(error(checkId('email_sha256', 'z'.repeat(64))), /64 characters, not all hex digits/);
    assert.match(error(checkId('email_md5', EMAIL_HASH)), /MD5 hash written as 32 hex digits/);
    assert.match(error(checkId('email_md5', 'a@b.co')), /send the MD5 of its UTF-8 bytes as 32 hex digits/);
  });

  void it('refuses a maid that is not a UUID, and the all-zero one', () => {
    assert.match(
      error(checkId('maid', 'ROKU-AB12')),
      /not a device advertising ID: an IDFA or GAID is a UUID/,
    );
    assert.match(error(checkId('maid', '00000000-0000-0000-0000-000000000000')), /ad tracking is limited/);
  });

  void it('refuses a clear e-mail as a crm ID', () => {
    const message = error(checkId('crm', 'jane@example.com'));
    assert.match(message, /must not be a clear e-mail address/);
    assert.ok(!message.includes('jane@'));
  });

  void it('refuses empty, too long, control characters, spaces around and non-strings', () => {
    assert.match(error(checkId('uid', '')), /must not be empty/);
    assert.match(error(checkId('crm', '   ')), /must not be empty/);
    assert.match(
      error(checkId('uid', 'x'.repeat(MAX_ID_LENGTH + 1))),
      /257 characters long; the limit is 256/,
    );
    assert.match(error(checkId('ssp_a', 'a\nb')), /control characters/);
    assert.match(error(checkId('crm', ' 42')), /spaces around it/);
    assert.match(error(checkId('uid', 42)), /must be a string, not number/);
    assert.match(error(checkId('Bad-Type', 'x')), /lower-case letters/);
  });

  void it('never throws, and a kept ID is checked again to itself (idempotent)', () => {
    const type = fc.constantFrom('uid', 'maid', 'email_sha256', 'phone_sha256', 'crm', 'ssp_a', 'idfa');
    fc.assert(
      fc.property(
        type,
        fc.oneof(
          fc.string(),
          fc.uuid().map((u) => u.toUpperCase()),
          fc.anything(),
        ),
        (t, v) => {
          const first = checkId(t, v);
          if (first.ok) assert.deepEqual(checkId(t, first.id), first);
          else assert.ok(first.error.length > 0);
        },
      ),
    );
  });

  void it('never echoes a clear e-mail address in any error', () => {
    const local = fc.stringMatching(/^[a-z0-9._+-]{1,20}$/);
    const domain = fc.stringMatching(/^[a-z0-9-]{1,15}\.[a-z]{2,6}$/);
    const type = fc.constantFrom('email', 'email_sha256', 'phone_sha256', 'crm', 'email_md5');
    fc.assert(
      fc.property(type, local, domain, (t, l, d) => {
        const address = `${l}@${d}`;
        const result = checkId(t, address);
        assert.equal(result.ok, false);
        assert.ok(!(result as { error: string }).error.includes(address));
      }),
    );
  });
});

void describe('checkPartnerCode', () => {
  void it('accepts a free ID type name', () => {
    assert.deepEqual(checkPartnerCode('ssp_a'), { ok: true, type: 'ssp_a' });
  });
  void it('refuses built-in, device, clear and hash type names', () => {
    for (const name of ['uid', 'maid', 'crm', 'email_sha256', 'idfa', 'email', 'phone']) {
      assert.match(error(checkPartnerCode(name)), /is a built-in ID type; .* pick another code/);
    }
    assert.match(error(checkPartnerCode('ssp_md5')), /ends like a hash type \(_md5\).*"ssp_sync"/);
    assert.match(error(checkPartnerCode('SSP')), /^partner code "SSP" may only hold/);
  });
});
