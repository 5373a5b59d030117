import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv6Groups, mappedIpv4, truncateIp } from './truncate-ip.ts';

void test('truncateIp cuts IPv4 to /24, IPv6 to /48 and IPv4-mapped IPv6 to the /24 of its IPv4 address', () => {
  const cases: [string, string | undefined][] = [
    ['81.2.69.160', '81.2.69.0'],
    ['8.8.8.8', '8.8.8.0'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3::'],
    ['2001:DB8:0:0:1::1', '2001:db8::'],
    ['2001:0:85a3::1', '2001:0:85a3::'],
    ['2a03:2880:f003:c07:face:b00c::2', '2a03:2880:f003::'],
    ['fe80::1%eth0', 'fe80::'],
    ['::1', '::'],
    ['::ffff:81.2.69.160', '81.2.69.0'],
    ['::ffff:5102:45a0', '81.2.69.0'],
    ['not an ip', undefined],
    ['1.2.3', undefined],
    ['256.1.1.1', undefined],
    ['', undefined],
  ];
  for (const [ip, expected] of cases) assert.equal(truncateIp(ip), expected, ip);
});

void test('ipv6Groups expands :: and dotted IPv4 tails', () => {
  assert.deepEqual(ipv6Groups('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(ipv6Groups('::1.2.3.4'), [0, 0, 0, 0, 0, 0, 0x102, 0x304]);
  assert.deepEqual(ipv6Groups('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(ipv6Groups('1.2.3.4'), undefined);
});

void test('mappedIpv4 finds the IPv4 address only in ::ffff:0:0/96', () => {
  assert.equal(mappedIpv4('::ffff:1.2.3.4'), '1.2.3.4');
  assert.equal(mappedIpv4('::1.2.3.4'), undefined);
  assert.equal(mappedIpv4('2001:db8::ffff:1.2.3.4'), undefined);
});
