import { isIP } from 'node:net';

/**
 * An IP address as bytes: 4 for IPv4, 16 for IPv6 (a zone such as `%eth0` ignored); undefined when the
 * text is not an address. Brackets, as URLs write IPv6 hosts, are accepted.
 *
 * Example: `ipBytes('::ffff:127.0.0.1')` -> `Uint8Array [0, …, 0, 255, 255, 127, 0, 0, 1]`
 */
export function ipBytes(text: string): Uint8Array | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const address = bare.split('%')[0] ?? '';
  const family = isIP(address);
  if (family === 4) return Uint8Array.from(address.split('.').map(Number));
  if (family === 6) return ipv6Bytes(address);
  return undefined;
}

/** The 16 bytes of a valid IPv6 text (as `isIP` checked it), a dotted IPv4 tail included. */
function ipv6Bytes(address: string): Uint8Array {
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const [head = '', tail] = address.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/**
 * The text of an IPv4 address given as 4 bytes. Example: `ipv4Text(Uint8Array.of(10, 0, 0, 5))` -> `'10.0.0.5'`
 */
export function ipv4Text(bytes: Uint8Array): string {
  return [...bytes.subarray(0, 4)].join('.');
}

/**
 * The canonical text of an IPv6 address given as 16 bytes (groups in hex, no compression), as
 * `BlockList` reads it. Example: `ipv6Text(ipBytes('::1')!)` -> `'0:0:0:0:0:0:0:1'`
 */
export function ipv6Text(bytes: Uint8Array): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return words.join(':');
}
