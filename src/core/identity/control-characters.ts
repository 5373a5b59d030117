/**
 * Whether `text` holds a C0 control character (U+0000 to U+001F) or DEL (U+007F): never valid in an ID, a
 * partner's name or a URL we build. A loop over code units, not a regex of control characters.
 *
 * Example: `hasControlCharacter('ssp\nA')` -> `true`; `hasControlCharacter('SSP A')` -> `false`.
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}
