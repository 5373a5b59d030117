import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressPolicy } from '../net/address-policy.ts';
import { parseDestination } from './parse-destination.ts';

const base = {
  code: 'hook',
  name: 'Hook',
  segments: [{ segment: 'sports_fans', id: '607' }],
  idType: 'uid',
  consent: { purposes: [1] },
};
const http = (url: string) => ({ ...base, kind: 'http', settings: { url } });
const pixel = (template: string) => ({ ...base, kind: 'url', settings: { template } });

void describe('destination URLs', () => {
  const strict = { addressAllowed: addressPolicy().allows };

  void it('refuse a user name or password in the URL, whatever the policy', () => {
    for (const input of [
      http('https://user:secret@api.example/aud'),
      http('https://token@api.example/aud'),
      pixel('https://u:p@px.example/s?u=${UID}'),
    ]) {
      for (const context of [{}, strict]) {
        const read = parseDestination(input, context);
        assert.equal(read.ok, false, JSON.stringify(input));
        if (!read.ok) {
          assert.match(read.errors[0]?.field ?? '', /^settings\.(url|template)$/);
          assert.match(read.errors[0]?.message ?? '', /user name or password.*settings\.authorization/);
        }
      }
    }
  });

  void it('refuse an IP address the policy refuses, in any spelling the URL parser reads', () => {
    for (const url of [
      'http://127.0.0.1:8080/aud',
      'http://2130706433/aud',
      'http://0x7f.1/aud',
      'http://[::1]/aud',
      'http://[::ffff:169.254.169.254]/latest',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/aud',
      'http://0.0.0.0/aud',
      'http://[fd00:ec2::254]/',
    ]) {
      const read = parseDestination(http(url), strict);
      assert.equal(read.ok, false, url);
      if (!read.ok)
        assert.match(read.errors[0]?.message ?? '', /not a public address.*DMP_ALLOW_PRIVATE_DESTINATIONS/);
    }
    assert.equal(parseDestination(pixel('http://192.168.1.1/s?u=${UID}'), strict).ok, false);
  });

  void it('accept public addresses, host names (checked when connecting) and the ranges allowed', () => {
    for (const url of ['https://93.184.215.14/aud', 'https://api.example/aud', 'http://localhost:9/x']) {
      assert.equal(parseDestination(http(url), strict).ok, true, url);
    }
    const onPremises = { addressAllowed: addressPolicy(['10.0.0.0/8']).allows };
    assert.equal(parseDestination(http('http://10.0.0.5/aud'), onPremises).ok, true);
    assert.equal(parseDestination(http('http://127.0.0.1/aud'), onPremises).ok, false);
    assert.equal(parseDestination(http('http://127.0.0.1/aud')).ok, true, 'no policy given: any address');
  });
});
