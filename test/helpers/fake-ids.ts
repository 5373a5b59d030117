import { createHash } from 'node:crypto';

/**
 * A device advertising ID for a test label: collection checks each ID by the rules of its type, and a
 * `maid` (like `idfa`, `gaid`, `idfv`, ...) must be a UUID, so a readable label such as `'m-1'` is
 * turned into one. The UUID is made from the SHA-256 of the label (version 4 and variant bits set, as a
 * real IDFA or GAID has), so the same label always gives the same ID, different labels give different
 * IDs, and the value is already in the lower-case canonical 8-4-4-4-12 form the DMP keeps: what a test
 * sends is what it finds in a profile or an export.
 *
 * Example: `maidOf('m-1')` -> a fixed value like `'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'` (hex digits),
 * equal to `maidOf('m-1')` on every call and unlike `maidOf('m-2')`.
 */
export function maidOf(label: string): string {
  const hex = createHash('sha256').update(label, 'utf8').digest('hex');
  // version nibble 4, variant bits 10xx (8, 9, a or b)
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
