import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTc } from '../../../test/consent/consent-fixtures.ts';
import { expandMacros } from './expand-macros.ts';
import type { MacroValues } from './expand-macros.ts';

const tc = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });
const all: MacroValues = {
  uid: 'c-1/2 3',
  consent: { gdpr: 1, tcf: tc, usp: '1YNN', gpp: 'DBABTA~1YNN', gppSid: [6, 7] },
  segment: 'auto intent&co',
  timestamp: 1763632800000,
};

void describe('expandMacros', () => {
  void it('fills each known macro URL-encoded and leaves unknown ones', () => {
    const cases: [string, MacroValues, string][] = [
      ['u=${UID}', all, 'u=c-1%2F2%203'],
      ['g=${GDPR}', all, 'g=1'],
      ['g=${GDPR}', { consent: { gdpr: 0 } }, 'g=0'],
      ['c=${GDPR_CONSENT_755}&d=${GDPR_CONSENT_21}', all, `c=${tc}&d=${tc}`],
      ['p=${US_PRIVACY}', all, 'p=1YNN'],
      ['g=${GPP}', all, 'g=DBABTA~1YNN'],
      ['s=${GPP_SID}', all, 's=6%2C7'],
      ['s=${SEGMENT}', all, 's=auto%20intent%26co'],
      ['t=${TIMESTAMP}', all, 't=1763632800000'],
      [
        'x=${CACHEBUSTER}&y=${GDPR_CONSENT}&z=$UID&w=${uid}',
        all,
        'x=${CACHEBUSTER}&y=${GDPR_CONSENT}&z=$UID&w=${uid}',
      ],
      ['u=${UID}&g=${GDPR}&c=${GDPR_CONSENT_755}&s=${GPP_SID}&t=${TIMESTAMP}', {}, 'u=&g=&c=&s=&t='],
      ['${UID}${UID}', { uid: 'a' }, 'aa'],
    ];
    for (const [template, values, expected] of cases)
      assert.equal(expandMacros(template, values), expected, template);
  });

  void it('makes a pixel URL a URL parser reads back to the values', () => {
    const url = new URL(
      expandMacros(
        'https://px.example/seg?uid=${UID}&gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&seg=${SEGMENT}',
        all,
      ),
    );
    assert.equal(url.searchParams.get('uid'), 'c-1/2 3');
    assert.equal(url.searchParams.get('gdpr_consent'), tc);
    assert.equal(url.searchParams.get('seg'), 'auto intent&co');
  });
});
