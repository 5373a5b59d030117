import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AddressCategory } from './address-policy.ts';
import { addressPolicy, parseCidrList } from './address-policy.ts';

const strict = addressPolicy();

void describe('addressPolicy, default (no range allowed)', () => {
  void it('allows public unicast and refuses every other kind, IPv4 and IPv6', () => {
    const cases: [string, boolean, AddressCategory][] = [
      ['93.184.215.14', true, 'public'],
      ['8.8.8.8', true, 'public'],
      ['2606:4700:4700::1111', true, 'public'],
      ['127.0.0.1', false, 'loopback'],
      ['127.255.255.254', false, 'loopback'],
      ['::1', false, 'loopback'],
      ['0.0.0.0', false, 'unspecified'],
      ['0.1.2.3', false, 'unspecified'],
      ['::', false, 'unspecified'],
      ['10.0.0.5', false, 'private'],
      ['172.16.0.1', false, 'private'],
      ['172.31.255.255', false, 'private'],
      ['172.32.0.1', true, 'public'],
      ['192.168.1.1', false, 'private'],
      ['100.64.0.1', false, 'shared'],
      ['100.127.255.255', false, 'shared'],
      ['100.128.0.1', true, 'public'],
      ['169.254.1.1', false, 'link-local'],
      ['169.254.169.254', false, 'cloud-metadata'],
      ['169.254.170.2', false, 'cloud-metadata'],
      ['100.100.100.200', false, 'cloud-metadata'],
      ['fd00:ec2::254', false, 'cloud-metadata'],
      ['fd00:ec2:0:0:0:0:0:254', false, 'cloud-metadata'],
      ['224.0.0.1', false, 'multicast'],
      ['239.255.255.250', false, 'multicast'],
      ['255.255.255.255', false, 'reserved'],
      ['240.0.0.1', false, 'reserved'],
      ['192.0.2.10', false, 'documentation'],
      ['198.18.0.1', false, 'reserved'],
      ['fc00::1', false, 'private'],
      ['fd12:3456::1', false, 'private'],
      ['fe80::1', false, 'link-local'],
      ['fe80::1%eth0', false, 'link-local'],
      ['ff02::1', false, 'multicast'],
      ['2001:db8::1', false, 'documentation'],
      ['2001:0:4136:e378::1', false, 'reserved'],
      ['100::1', false, 'reserved'],
      ['1::1', false, 'reserved'],
      // IPv4 inside IPv6: judged as the IPv4 address it reaches
      ['::ffff:127.0.0.1', false, 'loopback'],
      ['::ffff:7f00:1', false, 'loopback'],
      ['::ffff:169.254.169.254', false, 'cloud-metadata'],
      ['::ffff:a9fe:a9fe', false, 'cloud-metadata'],
      ['::ffff:10.0.0.5', false, 'private'],
      ['::ffff:0:10.0.0.5', false, 'private'],
      ['::127.0.0.1', false, 'loopback'],
      ['::7f00:1', false, 'loopback'],
      ['::a9fe:a9fe', false, 'cloud-metadata'],
      ['64:ff9b::127.0.0.1', false, 'loopback'],
      ['64:ff9b::a9fe:a9fe', false, 'cloud-metadata'],
      ['2002:7f00:1::', false, 'loopback'],
      ['2002:a9fe:a9fe::1', false, 'cloud-metadata'],
      ['::ffff:8.8.8.8', true, 'public'],
      ['64:ff9b::808:808', true, 'public'],
      ['[::1]', false, 'loopback'],
      ['localhost', false, 'not-an-address'],
      ['127.1', false, 'not-an-address'],
      ['', false, 'not-an-address'],
    ];
    for (const [address, allowed, category] of cases) {
      assert.deepEqual(strict.verdict(address), { allowed, category }, address);
      assert.equal(strict.allows(address), allowed, address);
    }
  });

  void it('judges every IPv4 address the same in its mapped and NAT64 IPv6 forms', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const expected = strict.verdict(v4);
        const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        for (const form of [`::ffff:${v4}`, `::ffff:${hex}`, `64:ff9b::${hex}`]) {
          assert.deepEqual(strict.verdict(form), expected, `${form} as ${v4}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

void describe('addressPolicy with ranges the operator allows', () => {
  const policy = addressPolicy(['10.20.0.0/16', '127.0.0.1', 'fd12::/16', '169.254.0.0/16']);
  void it('allows the ranges, in every form, and nothing next to them; never a metadata service', () => {
    const cases: [string, boolean][] = [
      ['10.20.1.5', true],
      ['::ffff:10.20.1.5', true],
      ['10.21.0.1', false],
      ['127.0.0.1', true],
      ['127.0.0.2', false],
      ['::1', false],
      ['fd12:1::5', true],
      ['fd13::5', false],
      ['169.254.3.4', true],
      ['169.254.169.254', false],
      ['::ffff:169.254.169.254', false],
      ['8.8.8.8', true],
    ];
    for (const [address, allowed] of cases) assert.equal(policy.allows(address), allowed, address);
    assert.deepEqual(policy.allowed, ['10.20.0.0/16', '127.0.0.1', 'fd12::/16', '169.254.0.0/16']);
  });
});

void describe('parseCidrList', () => {
  void it('reads ranges and single addresses separated by commas or spaces', () => {
    assert.deepEqual(parseCidrList(' 10.0.0.0/8, fd00::/8  192.168.1.20,127.0.0.0/8 '), {
      ok: true,
      ranges: ['10.0.0.0/8', 'fd00::/8', '192.168.1.20', '127.0.0.0/8'],
    });
    assert.deepEqual(parseCidrList(''), { ok: true, ranges: [] });
  });

  void it('names the entry that is not a range', () => {
    for (const bad of [
      '10.0.0.0/33',
      'fd00::/129',
      'intranet',
      '10.0.0.0/8/1',
      '10.0.0.0/x',
      '[::1]',
      '10.0/8',
    ]) {
      const read = parseCidrList(`127.0.0.1,${bad}`);
      assert.equal(read.ok, false, bad);
      if (!read.ok)
        assert.match(read.error, new RegExp(`'${bad.replace(/[[\]/.]/g, '\\$&')}'.*10\\.0\\.0\\.0/8`));
    }
  });
});
