import { BlockList } from 'node:net';
import { ipBytes, ipv4Text, ipv6Text } from './ip-bytes.ts';

/** What kind of address it is; only `public` is reached by default. Example: `'cloud-metadata'` */
export type AddressCategory =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'cloud-metadata'
  | 'not-an-address';

/** Example: `{ allowed: false, category: 'loopback' }` */
export interface AddressVerdict {
  allowed: boolean;
  category: AddressCategory;
}

/**
 * Which addresses the program may connect to on a tenant's behalf (batch destinations, and later ID-sync
 * partners): public unicast addresses, plus the ranges the operator allows. Cloud metadata services are
 * refused even inside an allowed range.
 *
 * Example: `addressPolicy(['10.20.0.0/16']).allows('10.20.1.5')` -> true; `.allows('10.30.0.1')` -> false
 */
export interface AddressPolicy {
  readonly verdict: (address: string) => AddressVerdict;
  /** a function of its own (no `this`): pass `policy.allows` as it is */
  readonly allows: (address: string) => boolean;
  /** the operator's ranges, as given */
  readonly allowed: readonly string[];
}

/** Metadata services of the clouds (AWS, GCP, Azure, OpenStack; AWS ECS and IPv6; Alibaba). */
const METADATA = ['169.254.169.254', '169.254.170.2', '169.254.169.253', '100.100.100.200', 'fd00:ec2::254'];

/** IPv4 ranges that are not the public Internet (IANA special-purpose registry, RFC 6890). */
const V4: readonly [string, AddressCategory][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

/** IPv6 ranges that are not public; outside global unicast (2000::/3), everything is refused. */
const V6: readonly [string, AddressCategory][] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  ['2001::/23', 'reserved'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];

function listOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

const metadata = listOf(METADATA);
const v4Ranges = V4.map(([range, category]) => ({ list: listOf([range]), category }));
const v6Ranges = V6.map(([range, category]) => ({ list: listOf([range]), category }));
const globalUnicast = listOf(['2000::/3']);

/**
 * The IPv4 address an IPv6 one stands for, when it embeds one: mapped (`::ffff:a.b.c.d`), translated
 * (`::ffff:0:a.b.c.d`), compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`).
 * A socket to any of them can reach the IPv4 address, so it is judged as that address.
 */
function embeddedIpv4(b: Uint8Array): Uint8Array | undefined {
  const zero = (from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.subarray(12);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return b.subarray(12);
  // compatible, but not :: and ::1 (unspecified and loopback in their own right)
  if (zero(0, 12) && !zero(12, 15)) return b.subarray(12);
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return b.subarray(12);
  if (b[0] === 0x20 && b[1] === 0x02) return b.subarray(2, 6);
  return undefined;
}

function categoryOf(text: string, family: 'ipv4' | 'ipv6'): AddressCategory {
  if (metadata.check(text, family)) return 'cloud-metadata';
  if (family === 'ipv4') return v4Ranges.find((r) => r.list.check(text, 'ipv4'))?.category ?? 'public';
  const listed = v6Ranges.find((r) => r.list.check(text, 'ipv6'))?.category;
  return listed ?? (globalUnicast.check(text, 'ipv6') ? 'public' : 'reserved');
}

/**
 * The policy with the operator's allowed ranges (CIDR, or single addresses), as `parseCidrList` reads
 * them. With none, only public addresses are allowed.
 *
 * Example: `addressPolicy(['127.0.0.0/8']).verdict('::ffff:127.0.0.1')` -> `{ allowed: true, category: 'loopback' }`
 */
export function addressPolicy(allowedRanges: readonly string[] = []): AddressPolicy {
  const allowList = listOf(allowedRanges);
  const verdict = (address: string): AddressVerdict => {
    const bytes = ipBytes(address);
    if (bytes === undefined) return { allowed: false, category: 'not-an-address' };
    const v6 = bytes.length === 16 ? ipv6Text(bytes) : undefined;
    const v4 = bytes.length === 4 ? bytes : embeddedIpv4(bytes);
    const text = v4 === undefined ? (v6 ?? '') : ipv4Text(v4);
    const family = v4 === undefined ? 'ipv6' : 'ipv4';
    const category = categoryOf(text, family);
    if (category === 'public') return { allowed: true, category };
    if (category === 'cloud-metadata' || (v6 !== undefined && metadata.check(v6, 'ipv6'))) {
      return { allowed: false, category: 'cloud-metadata' };
    }
    const listed = allowList.check(text, family) || (v6 !== undefined && allowList.check(v6, 'ipv6'));
    return { allowed: listed, category };
  };
  return {
    verdict,
    allows: (address) => verdict(address).allowed,
    allowed: [...allowedRanges],
  };
}

/**
 * Reads a list of ranges separated by commas or white space (`10.0.0.0/8, fd00::/8, 192.168.1.20`),
 * each checked; the error names the entry and shows the form expected.
 *
 * Example: `parseCidrList('10.0.0.0/8,127.0.0.1')` -> `{ ok: true, ranges: ['10.0.0.0/8', '127.0.0.1'] }`
 */
export function parseCidrList(text: string): { ok: true; ranges: string[] } | { ok: false; error: string } {
  const ranges = text.split(/[\s,]+/).filter((entry) => entry !== '');
  for (const range of ranges) {
    const [address = '', prefix, extra] = range.split('/');
    const bytes = address.includes('%') ? undefined : ipBytes(address);
    const max = bytes === undefined ? 0 : bytes.length * 8;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (bytes === undefined || address.startsWith('[') || !prefixOk || extra !== undefined) {
      return {
        ok: false,
        error: `'${range}' is not an address or CIDR range; write e.g. 10.0.0.0/8, fd00::/8 or 192.168.1.20`,
      };
    }
  }
  return { ok: true, ranges };
}
