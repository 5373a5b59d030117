import type { UspFlag, UspResult } from './consent-types.ts';

function isFlag(char: string): char is UspFlag {
  return char === 'Y' || char === 'N' || char === '-';
}

/**
 * Decodes a US Privacy (CCPA) string: 4 characters, the version `1`, then notice given, opted out of
 * sale, covered by the LSPA, each `Y`, `N` or `-` (not applicable). Never throws.
 *
 * Example: `decodeUsp('1YYN')` -> `{ ok: true, version: 1, notice: 'Y', optOutSale: 'Y', lspa: 'N' }`;
 * `decodeUsp('1yyn')` -> `{ ok: false, reason: ... }` (the flags are upper case).
 */
export function decodeUsp(usp: string): UspResult {
  if (usp.length !== 4) {
    return { ok: false, reason: `US Privacy string must be 4 characters, not ${usp.length}` };
  }
  if (usp.charAt(0) !== '1') {
    return { ok: false, reason: `US Privacy string version must be 1, not "${usp.charAt(0)}"` };
  }
  const [notice, optOutSale, lspa] = [usp.charAt(1), usp.charAt(2), usp.charAt(3)];
  if (!isFlag(notice) || !isFlag(optOutSale) || !isFlag(lspa)) {
    return { ok: false, reason: `US Privacy string flags must each be Y, N or -, not "${usp.slice(1)}"` };
  }
  return { ok: true, version: 1, notice, optOutSale, lspa };
}
