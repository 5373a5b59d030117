import { ruleDateMs } from './rule-date.ts';

/** One token of rule text; `offset`/`end` index into the text. */
export type Token =
  | { kind: 'name'; text: string; offset: number; end: number }
  | { kind: 'ref'; ref: 'trait' | 'segment'; code: string; offset: number; end: number }
  | { kind: 'string'; value: string; offset: number; end: number }
  | { kind: 'number'; value: number; offset: number; end: number }
  | { kind: 'duration'; amount: number; unit: 'm' | 'h' | 'd'; offset: number; end: number }
  | { kind: 'date'; text: string; offset: number; end: number }
  | { kind: 'regex'; pattern: string; flags: '' | 'i'; offset: number; end: number }
  | { kind: 'op'; text: '==' | '!=' | '<' | '<=' | '>' | '>='; offset: number; end: number }
  | { kind: 'punct'; text: '(' | ')' | '[' | ']' | ','; offset: number; end: number }
  | { kind: 'eof'; offset: number; end: number };

/** A lexing failure: where, what is wrong, what was expected. */
export interface LexFailure {
  offset: number;
  message: string;
  expected?: string;
}

/** The largest duration amount, so that every window stays a safe integer of milliseconds. */
export const MAX_DURATION = 1_000_000;

const NAME_RE = /[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*/y;
const CODE_RE = /[A-Za-z0-9_-]*/y;
const DATE_RE = /\d{4}-\d{2}-\d{2}(?:T[0-9:.]*(?:Z|[+-]\d{2}:\d{2})?)?(?![A-Za-z0-9_])/y;
const DURATION_RE = /(\d+)([mhd])(?![A-Za-z0-9_])/y;
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENT_CHAR = /[A-Za-z0-9_]/;

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/**
 * Splits rule text into tokens, skipping whitespace and `#` comments.
 * Example: `lexRule('visits >= 2')` -> `{ ok: true, tokens: [name visits, op >=, number 2, eof] }`.
 */
export function lexRule(text: string): { ok: true; tokens: Token[] } | { ok: false; failure: LexFailure } {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (offset: number, message: string, expected?: string) =>
    ({
      ok: false,
      failure: expected === undefined ? { offset, message } : { offset, message, expected },
    }) as const;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
      tokens.push({ kind: 'punct', text: c, offset: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', text: two, offset: i, end: i + 2 });
        i += 2;
      } else if (c === '<' || c === '>') {
        tokens.push({ kind: 'op', text: c, offset: i, end: i + 1 });
        i++;
      } else {
        return fail(
          i,
          `unexpected "${c}"; use "==" to compare or "!=" for not equal`,
          '==, !=, <, <=, >, >=',
        );
      }
      continue;
    }
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0)
        return fail(i, 'unterminated or invalid string (strings are JSON strings in double quotes)', '"..."');
      tokens.push({ kind: 'string', value: JSON.parse(text.slice(i, end)) as string, offset: i, end });
      i = end;
      continue;
    }
    if (c === '/') {
      const r = lexRegex(text, i);
      if ('message' in r) return fail(r.offset, r.message, r.expected);
      tokens.push(r);
      i = r.end;
      continue;
    }
    if ((c >= '0' && c <= '9') || c === '-') {
      const r = lexNumeric(text, i);
      if ('message' in r) return fail(r.offset, r.message, r.expected);
      tokens.push(r);
      i = r.end;
      continue;
    }
    const name = sticky(NAME_RE, text, i);
    if (name) {
      const end = i + name[0].length;
      const next = text[end];
      if (next === ':') {
        const lower = name[0].toLowerCase();
        if (lower !== 'trait' && lower !== 'segment') {
          return fail(i, `unknown reference "${name[0]}:"`, 'trait:<code> or segment:<code>');
        }
        const code = sticky(CODE_RE, text, end + 1)?.[0] ?? '';
        if (code === '')
          return fail(end + 1, `expected a ${lower} code after "${lower}:"`, 'a code of a-z, 0-9, _ or -');
        if (/[A-Z]/.test(code)) {
          return fail(end + 1, `${lower} codes are lowercase: "${code}"`, 'a code of a-z, 0-9, _ or -');
        }
        tokens.push({ kind: 'ref', ref: lower, code, offset: i, end: end + 1 + code.length });
        i = end + 1 + code.length;
        continue;
      }
      if (next === '.') return fail(end + 1, `expected a name after "${name[0]}."`, 'a name');
      tokens.push({ kind: 'name', text: name[0], offset: i, end });
      i = end;
      continue;
    }
    return fail(i, `unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? 0))}`);
  }
  tokens.push({ kind: 'eof', offset: text.length, end: text.length });
  return { ok: true, tokens };
}

const ESCAPES = '"\\/bfnrt';
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** The offset just after the JSON string starting at `start`, or -1 when it is not a valid JSON string. */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code < 0x20) return -1;
    if (code === 0x22) return j + 1;
    if (code === 0x5c) {
      const e = text[j + 1] ?? '';
      if (e === 'u') {
        if (!HEX4.test(text.slice(j + 2, j + 6))) return -1;
        j += 5;
      } else if (e !== '' && ESCAPES.includes(e)) j++;
      else return -1;
    }
  }
  return -1;
}

function lexRegex(text: string, start: number): Token | LexFailure {
  let j = start + 1;
  for (;;) {
    const ch = text[j];
    if (ch === undefined || ch === '\n' || ch === '\r') {
      return { offset: start, message: 'unterminated regex: expected a closing "/"', expected: '/' };
    }
    if (ch === '/') break;
    j += ch === '\\' ? 2 : 1;
  }
  const pattern = text.slice(start + 1, j);
  let k = j + 1;
  while (k < text.length && IDENT_CHAR.test(text[k] ?? '')) k++;
  const flags = text.slice(j + 1, k);
  if (flags !== '' && flags !== 'i') {
    return { offset: j + 1, message: `unknown regex flags "${flags}"`, expected: 'no flag or i' };
  }
  return { kind: 'regex', pattern, flags, offset: start, end: k };
}

function lexNumeric(text: string, start: number): Token | LexFailure {
  const date = sticky(DATE_RE, text, start);
  if (date) {
    if (ruleDateMs(date[0]) === undefined) {
      return {
        offset: start,
        message: `"${date[0]}" is not a valid date`,
        expected: 'YYYY-MM-DD or an ISO-8601 timestamp',
      };
    }
    return { kind: 'date', text: date[0], offset: start, end: start + date[0].length };
  }
  const dur = sticky(DURATION_RE, text, start);
  if (dur) {
    const amount = Number(dur[1]);
    if (amount > MAX_DURATION) {
      return { offset: start, message: `duration "${dur[0]}" is too large (at most ${MAX_DURATION})` };
    }
    const unit = dur[2] === 'm' ? 'm' : dur[2] === 'h' ? 'h' : 'd';
    return { kind: 'duration', amount, unit, offset: start, end: start + dur[0].length };
  }
  const num = sticky(NUMBER_RE, text, start);
  if (!num) return { offset: start, message: 'unexpected "-"', expected: 'a number' };
  const end = start + num[0].length;
  if (IDENT_CHAR.test(text[end] ?? '') || text[end] === '.') {
    return {
      offset: start,
      message: `invalid number, duration or date "${text.slice(start, end + 1)}"`,
      expected: 'a number, a duration (15m, 12h, 30d) or a date (YYYY-MM-DD)',
    };
  }
  // -0 reads as 0: JSON has no -0, so the text and JSON forms agree.
  const value = Number(num[0]) + 0;
  if (!Number.isFinite(value)) return { offset: start, message: `number "${num[0]}" is out of range` };
  // a whole number a double cannot hold (12345678901234567891 would read as ...67000): refused, not rounded
  if (!/[.eE]/.test(num[0]) && String(value) !== num[0].replace(/^-0$/, '0')) {
    return {
      offset: start,
      message: `number "${num[0]}" cannot be kept exactly (whole numbers up to 9007199254740991 can)`,
      expected: 'a smaller number, or the value as a string ("...") when it is an ID',
    };
  }
  return { kind: 'number', value, offset: start, end };
}
