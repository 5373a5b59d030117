import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSyncUrlTemplate, checkUidMacro, expandSyncUrl, redirectUrl } from './sync-url.ts';

const TEMPLATE =
  'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&us_privacy=${US_PRIVACY}&gpp=${GPP}&gpp_sid=${GPP_SID}&redir=${REDIRECT}';
const TC = 'CQuci4AQuci4AAKABAENAHEgAPAAAAAAAAAAF5wAoAAgAEAvMAAAAAAA.YAAAAAAAAAAA';

function error(result: { ok: true } | { ok: false; error: string }): string {
  assert.equal(result.ok, false, 'expected an error');
  return (result as { error: string }).error;
}

void describe('expandSyncUrl', () => {
  void it('fills every macro, each value URL-encoded once', () => {
    const redirect = redirectUrl('https://dmp.example', 'pk site', 'ssp_a', '$UID', {
      consent: { gdpr: 1, tcf: TC },
      format: 'i',
    });
    const url = expandSyncUrl(TEMPLATE, {
      consent: { gdpr: 1, tcf: TC, usp: '1YNN', gpp: 'DBABTA~1YNN', gppSid: [2, 6] },
      redirect,
    });
    assert.equal(
      url,
      `https://ssp-a.example/sync?gdpr=1&gdpr_consent=${TC}&us_privacy=1YNN&gpp=DBABTA~1YNN&gpp_sid=2%2C6&redir=` +
        encodeURIComponent(
          `https://dmp.example/setuid?site=pk%20site&bidder=ssp_a&gdpr=1&gdpr_consent=${TC}&f=i&uid=$UID`,
        ),
    );
    // the partner reads `redir` back, replaces its macro and lands on our /setuid
    const back = new URL(url).searchParams.get('redir')!.replace('$UID', 'P-42');
    const setuid = new URL(back);
    assert.equal(setuid.pathname, '/setuid');
    assert.deepEqual(Object.fromEntries(setuid.searchParams), {
      site: 'pk site',
      bidder: 'ssp_a',
      gdpr: '1',
      gdpr_consent: TC,
      f: 'i',
      uid: 'P-42',
    });
  });

  void it('fills ${UID} with our uid and missing values with nothing', () => {
    assert.equal(
      expandSyncUrl('https://p.example/s?our=${UID}&g=${GDPR}&c=${GDPR_CONSENT_1}&r=${REDIRECT}', {
        uid: 'c 1&x',
      }),
      'https://p.example/s?our=c%201%26x&g=&c=&r=',
    );
  });

  void it('reads any vendor number in ${GDPR_CONSENT_<n>}', () => {
    assert.equal(
      expandSyncUrl('https://p.example/?a=${GDPR_CONSENT_32}', { consent: { tcf: 'C.x' } }),
      'https://p.example/?a=C.x',
    );
  });

  void it('does not expand a ${REDIRECT} that a value brings', () => {
    const url = expandSyncUrl('https://p.example/?u=${UID}&r=${REDIRECT}', {
      uid: '${REDIRECT}',
      redirect: 'R',
    });
    assert.equal(url, 'https://p.example/?u=%24%7BREDIRECT%7D&r=R');
  });
});

void describe('checkSyncUrlTemplate', () => {
  void it('accepts a template with and without ${REDIRECT}', () => {
    assert.deepEqual(checkSyncUrlTemplate(TEMPLATE, { vendorId: 755 }), {
      ok: true,
      redirects: true,
      macros: ['GDPR', 'GDPR_CONSENT_755', 'US_PRIVACY', 'GPP', 'GPP_SID', 'REDIRECT'],
    });
    assert.deepEqual(checkSyncUrlTemplate('http://p.example/px?our=${UID}'), {
      ok: true,
      redirects: false,
      macros: ['UID'],
    });
  });

  void it('refuses an unknown macro with the list of known ones', () => {
    const message = error(checkSyncUrlTemplate('https://p.example/?u=${USER}'));
    assert.match(
      message,
      /unknown macro \$\{USER\}; the known macros are \$\{UID\}, \$\{GDPR\}, \$\{GDPR_CONSENT_<vendor ID>\}, \$\{US_PRIVACY\}, \$\{GPP\}, \$\{GPP_SID\}, \$\{REDIRECT\}/,
    );
    assert.match(
      error(checkSyncUrlTemplate('https://p.example/?g=${gdpr}')),
      /unknown macro \$\{gdpr\}.*upper case/,
    );
    assert.match(error(checkSyncUrlTemplate('https://p.example/?c=${GDPR_CONSENT_}')), /unknown macro/);
    assert.match(error(checkSyncUrlTemplate('https://p.example/?c=${GDPR_CONSENT_0755}')), /unknown macro/);
    assert.match(
      error(checkSyncUrlTemplate('https://p.example/?c=${GDPR_CONSENT_70000}')),
      /from 1 to 65535/,
    );
  });

  void it('refuses a consent macro for another vendor than the partner', () => {
    assert.match(
      error(checkSyncUrlTemplate('https://p.example/?c=${GDPR_CONSENT_32}', { vendorId: 755 })),
      /for vendor 32, but the partner's vendorId is 755; write \$\{GDPR_CONSENT_755\}/,
    );
  });

  void it('refuses other schemes, relative URLs, credentials, spaces, macros in the host, unclosed macros, length', () => {
    assert.match(error(checkSyncUrlTemplate('javascript:alert(1)')), /must start with https:\/\//);
    assert.match(error(checkSyncUrlTemplate('ftp://p.example/x')), /must start with https:\/\//);
    assert.match(error(checkSyncUrlTemplate('/sync?x=1')), /must start with https:\/\//);
    assert.match(error(checkSyncUrlTemplate('https:${UID}.p.example/')), /must start with https:\/\//);
    assert.match(error(checkSyncUrlTemplate('https://[/x')), /not an absolute URL/);
    assert.match(error(checkSyncUrlTemplate('https://u:p@p.example/')), /user name or password/);
    assert.match(error(checkSyncUrlTemplate('https://p.example/a b')), /spaces or control characters/);
    assert.match(error(checkSyncUrlTemplate('https://${UID}.p.example/')), /stands in the host/);
    assert.match(error(checkSyncUrlTemplate('https://p.example&/x')), /host "p.example&" is not a host name/);
    assert.equal(checkSyncUrlTemplate('https://bücher.example/s').ok, true);
    assert.match(error(checkSyncUrlTemplate('https://p.example/?r=${REDIRECT')), /no closing/);
    assert.match(error(checkSyncUrlTemplate(`https://p.example/?${'a'.repeat(2048)}`)), /the limit is 2048/);
    assert.match(error(checkSyncUrlTemplate(42)), /must be a string/);
    assert.match(error(checkSyncUrlTemplate('')), /must not be empty/);
  });

  void it('never throws, and no value changes the origin of a template it accepts', () => {
    const part = fc.oneof(
      fc.constantFrom(
        '${UID}',
        '${GDPR}',
        '${GDPR_CONSENT_755}',
        '${REDIRECT}',
        '${X}',
        '${',
        '&',
        '?',
        '/',
        '#',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('https://p.example', 'http://p.example:8080', 'x:', ''),
        fc.array(part),
        (head, parts) => {
          const template = head + parts.join('');
          const checked = checkSyncUrlTemplate(template);
          if (!checked.ok) return;
          const expanded = expandSyncUrl(template, {
            uid: 'a/b?c',
            consent: { gdpr: 1, tcf: 'C' },
            redirect: 'https://x/?y',
          });
          assert.equal(new URL(expanded).origin, new URL(template.replace(/\$\{[^}]*\}/g, 'x')).origin);
        },
      ),
    );
  });
});

void describe('checkUidMacro', () => {
  void it('accepts the usual partner macros', () => {
    for (const macro of ['$UID', '[UID]', '{uid}', '%%UID%%', '${UID}', '$$visitor_cookie$$']) {
      assert.deepEqual(checkUidMacro(macro), { ok: true, macro });
    }
  });
  void it('refuses what would break the query value, and empty or long macros', () => {
    for (const macro of ['a&b', 'a b', 'u=1', '#', '"x"', '', 'x'.repeat(33), 7]) {
      assert.equal(checkUidMacro(macro).ok, false, String(macro));
    }
  });
});

void describe('redirectUrl', () => {
  void it('gives our /setuid URL with the partner macro last and raw', () => {
    assert.equal(
      redirectUrl('https://dmp.example/', 'pk_site1', 'ssp_a', '$UID'),
      'https://dmp.example/setuid?site=pk_site1&bidder=ssp_a&uid=$UID',
    );
    assert.equal(
      redirectUrl('https://dmp.example/base', 's', 'ssp_a', '[UID]', { consent: { gdpr: 0 }, format: 'b' }),
      'https://dmp.example/base/setuid?site=s&bidder=ssp_a&gdpr=0&f=b&uid=[UID]',
    );
  });
});
