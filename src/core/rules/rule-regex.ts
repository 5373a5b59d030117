import { RE2JS } from 're2js';
import { literalPrefix, prefixGate } from './regex-prefix.ts';

/** A compiled rule regex: `test` is true when the pattern is found anywhere in the input. */
export interface RuleRegex {
  test(input: string): boolean;
}

/**
 * Compiles a rule regex with re2js (linear time, RE2 syntax). A pattern RE2 rejects is a value, not a throw.
 * Example: `compileRuleRegex('^/p', 'i')` -> `{ ok: true, regex }`; `compileRuleRegex('(a)\\1', '')` -> `{ ok: false, message }`.
 */
export function compileRuleRegex(
  pattern: string,
  flags: '' | 'i',
): { ok: true; regex: RuleRegex } | { ok: false; message: string } {
  try {
    const re = RE2JS.compile(pattern, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
    const gate = prefixGate(literalPrefix(pattern), flags);
    return { ok: true, regex: { test: (input: string) => gate(input) && re.test(input) } };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `invalid regex /${pattern}/: ${detail}` };
  }
}

/**
 * Whether a pattern can stand between `/` and `/` in rule text: no newline, no unescaped `/`, no trailing `\`.
 * Example: `isPrintablePattern('^\\/a')` -> `true`; `isPrintablePattern('a/b')` -> `false`.
 */
export function isPrintablePattern(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\n' || c === '\r' || c === '/') return false;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined || n === '\n' || n === '\r') return false;
      i++;
    }
  }
  return true;
}
