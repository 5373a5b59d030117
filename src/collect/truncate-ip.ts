import { isIPv4, isIPv6 } from 'node:net';

/**
 * The 8 groups of an IPv6 address (zone ID dropped, an embedded IPv4 tail expanded), or undefined when
 * the text is not an IPv6 address. Example: `ipv6Groups('2001:db8::1')` -> `[0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]`.
 */
export function ipv6Groups(ip: string): number[] | undefined {
  if (!isIPv6(ip)) return undefined;
  const zone = ip.indexOf('%');
  let text = zone >= 0 ? ip.slice(0, zone) : ip;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    // an embedded IPv4 tail (`::ffff:1.2.3.4`) is two groups written in dotted form
    const b = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    const hi = ((b[0] ?? 0) << 8) | (b[1] ?? 0);
    const lo = ((b[2] ?? 0) << 8) | (b[3] ?? 0);
    text = `${text.slice(0, lastColon + 1)}${hi.toString(16)}:${lo.toString(16)}`;
  }
  const [headText = '', tailText] = text.split('::');
  const head = headText === '' ? [] : headText.split(':').map((g) => parseInt(g, 16));
  const rest =
    tailText === undefined || tailText === '' ? [] : tailText.split(':').map((g) => parseInt(g, 16));
  const known = head.length + rest.length;
  const zeros = tailText === undefined ? 0 : 8 - known;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...rest];
  return groups.length === 8 ? groups : undefined;
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:81.2.69.160` or `::ffff:5102:45a0`),
 * else undefined. Example: `mappedIpv4('::ffff:81.2.69.160')` -> `'81.2.69.160'`.
 */
export function mappedIpv4(ip: string): string | undefined {
  const g = ipv6Groups(ip);
  if (
    g === undefined ||
    g[5] !== 0xffff ||
    g[0] !== 0 ||
    g[1] !== 0 ||
    g[2] !== 0 ||
    g[3] !== 0 ||
    g[4] !== 0
  ) {
    return undefined;
  }
  const hi = g[6] ?? 0;
  const lo = g[7] ?? 0;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * The address with its host part zeroed, so that no whole address is ever stored: IPv4 to /24, IPv6 to
 * /48 (RFC 5952 text), an IPv4-mapped IPv6 address to the /24 of its IPv4 address. Undefined when the
 * text is not an IP address.
 *
 * Example: `truncateIp('81.2.69.160')` -> `'81.2.69.0'`; `truncateIp('2001:db8:85a3::8a2e:370:7334')`
 * -> `'2001:db8:85a3::'`; `truncateIp('::ffff:81.2.69.160')` -> `'81.2.69.0'`; `truncateIp('x')` -> undefined.
 */
export function truncateIp(ip: string): string | undefined {
  if (isIPv4(ip)) return ip.slice(0, ip.lastIndexOf('.')) + '.0';
  const groups = ipv6Groups(ip);
  if (groups === undefined) return undefined;
  const mapped = mappedIpv4(ip);
  if (mapped !== undefined) return mapped.slice(0, mapped.lastIndexOf('.')) + '.0';
  let kept = 3;
  while (kept > 0 && groups[kept - 1] === 0) kept--;
  return kept === 0
    ? '::'
    : groups
        .slice(0, kept)
        .map((g) => g.toString(16))
        .join(':') + '::';
}
