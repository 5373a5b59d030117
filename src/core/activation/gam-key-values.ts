/**
 * Google Ad Manager key-values for `googletag.setTargeting(key, values)`, within the ad server's limits
 * (Ad Manager help, "Key-values": "Valid key-value entry"):
 * - a key has 1 to 20 characters, does not start with a digit and has no white space;
 * - a value has 1 to 40 characters; white space in a value is replaced by `_` (Ad Manager would need it
 *   quoted in tags and expressions);
 * - neither may hold a reserved character: `" ' = ! + # * ~ ; ^ ( ) < > [ ] , &`;
 * - values are not case-sensitive, so values equal but for case are sent once (the first);
 * - at most `maxValuesPerKey` values per key (ours, default 50, to keep the ad request URL short); the
 *   rest are dropped in mapping order.
 * What breaks a rule is dropped and listed with its reason, never truncated (a cut ID targets another
 * line item).
 */
export const GAM_LIMITS = { keyLength: 20, valueLength: 40, defaultMaxValuesPerKey: 50 } as const;

const RESERVED = /["'=!+#*~;^()<>[\],&]/;

/** Example: `{ key: 'dmp', values: ['483', '512'] }` */
export interface GamEntry {
  key: string;
  values: readonly string[];
}

/**
 * Targeting ready for `setTargeting`, with what had to be left out.
 *
 * Example: `{ targeting: { dmp: ['483'] }, dropped: [{ key: 'dmp', value: 'a=b', reason: '...' }] }`
 */
export interface GamKeyValues {
  targeting: Record<string, string[]>;
  dropped: { key: string; value?: string; reason: string }[];
}

/**
 * Why a key or value breaks Ad Manager's rules (after white space in values became `_`), or undefined.
 *
 * Example: `gamProblem('1dmp', 'key')` -> `'a key must not start with a digit'`
 */
export function gamProblem(text: string, what: 'key' | 'value'): string | undefined {
  const max = what === 'key' ? GAM_LIMITS.keyLength : GAM_LIMITS.valueLength;
  if (text.length === 0) return `a ${what} must not be empty`;
  if (text.length > max) return `a ${what} must be at most ${max} characters`;
  if (RESERVED.test(text)) return `a ${what} must not contain any of " ' = ! + # * ~ ; ^ ( ) < > [ ] , &`;
  if (what === 'key' && /\s/.test(text)) return 'a key must not contain white space';
  if (what === 'key' && /^[0-9]/.test(text)) return 'a key must not start with a digit';
  return undefined;
}

/**
 * Key-values for a visitor from `{ key, values }` entries (entries with the same key are merged).
 *
 * Example:
 * ```ts
 * gamKeyValues([{ key: 'dmp', values: ['483', 'Sports Fans', 'a=b'] }]);
 * // { targeting: { dmp: ['483', 'Sports_Fans'] },
 * //   dropped: [{ key: 'dmp', value: 'a=b', reason: 'a value must not contain any of ...' }] }
 * ```
 */
export function gamKeyValues(
  entries: readonly GamEntry[],
  options: { maxValuesPerKey?: number } = {},
): GamKeyValues {
  const max = options.maxValuesPerKey ?? GAM_LIMITS.defaultMaxValuesPerKey;
  const targeting: Record<string, string[]> = {};
  const seen = new Map<string, Set<string>>();
  const dropped: GamKeyValues['dropped'] = [];
  for (const { key, values } of entries) {
    const keyProblem = gamProblem(key, 'key');
    if (keyProblem !== undefined) {
      dropped.push({ key, reason: keyProblem });
      continue;
    }
    const list = (targeting[key] ??= []);
    const lower = seen.get(key) ?? new Set<string>();
    seen.set(key, lower);
    for (const raw of values) {
      const value = raw.trim().replace(/\s+/g, '_');
      const problem = gamProblem(value, 'value');
      if (problem !== undefined) dropped.push({ key, value: raw, reason: problem });
      else if (lower.has(value.toLowerCase())) continue;
      else if (list.length >= max) {
        dropped.push({ key, value: raw, reason: `more than ${max} values for key ${key}` });
      } else {
        lower.add(value.toLowerCase());
        list.push(value);
      }
    }
    if (list.length === 0) delete targeting[key];
  }
  return { targeting, dropped };
}
