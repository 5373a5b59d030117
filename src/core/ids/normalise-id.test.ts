import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseId } from './normalise-id.ts';

const IFA = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const SHA = 'a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3';

void describe('normaliseId', () => {
  const cases: [string, string, string, string][] = [
    ['an IDFA as iOS sends it', 'maid', '6D92078A-8246-4BA4-AE5B-76104861E7DC', IFA],
    ['a GAID as Android sends it', 'maid', IFA, IFA],
    ['a UUID without hyphens', 'maid', '6D92078A82464BA4AE5B76104861E7DC', IFA],
    ['a braced UUID', 'maid', `{${IFA.toUpperCase()}}`, IFA],
    ['spaces around it', 'maid', ` ${IFA} `, IFA],
    ['another name for a device ID', 'idfa', IFA.toUpperCase(), IFA],
    ['OpenRTB device.ifa', 'ifa', IFA.toUpperCase(), IFA],
    ['a device ID that is not a UUID is lower-cased only', 'maid', 'ROKU-AB12', 'roku-ab12'],
    ['a hex e-mail hash', 'email_sha256', SHA.toUpperCase(), SHA],
    ['a hex phone hash', 'phone_sha256', SHA.toUpperCase(), SHA],
    ['an MD5 hash', 'email_md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a hash of the wrong length is left alone', 'email_sha256', 'ABCDEF', 'ABCDEF'],
    ['a clear e-mail is left for the checks', 'email_sha256', 'Jane@Example.com', 'Jane@Example.com'],
    ['a first-party uid is case-sensitive', 'uid', 'Ab-12', 'Ab-12'],
    ['a uid that looks like a UUID keeps its case', 'uid', IFA.toUpperCase(), IFA.toUpperCase()],
    ['a CRM ID is case-sensitive', 'crm', 'Cust-42', 'Cust-42'],
    ['a partner ID is case-sensitive', 'ssp_a', 'XyZ', 'XyZ'],
  ];
  for (const [name, type, id, expected] of cases) {
    void it(name, () => assert.equal(normaliseId(type, id), expected));
  }

  void it('is idempotent', () => {
    for (const [, type, id] of cases) {
      const once = normaliseId(type, id);
      assert.equal(normaliseId(type, once), once);
    }
  });
});
