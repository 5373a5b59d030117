import type { Pos } from './ast.ts';

/**
 * An error in a rule's text, positioned for the person who wrote it (docs/rule-language.md, Errors).
 * Example:
 * `{ line: 1, column: 11, message: 'expected a value after "==" (a string, number, true or false)',
 *    expected: 'a string, number, true or false', snippet: 'geo.city ==\n          ^' }`
 */
export interface RuleError {
  line: number;
  column: number;
  message: string;
  expected?: string;
  /** the offending source line, a newline, and a caret under the fault column */
  snippet: string;
}

const SNIPPET_WIDTH = 60;

/** The offsets at which each line of `text` starts, for fast `posIn`. Example: `lineStarts('a\nb')` -> `[0, 2]`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The position of an offset, given the line starts of its text. Example: `posIn([0, 2], 3)` -> line 2, column 2. */
export function posIn(starts: readonly number[], offset: number): Pos {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1, offset };
}

/**
 * The line/column of an offset in `text`. Example: `posAt('a\nbc', 3)` -> `{ line: 2, column: 2, offset: 3 }`.
 */
export function posAt(text: string, offset: number): Pos {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1, offset: end };
}

/**
 * The caret snippet for a position: the line (cut around the column when long) and a caret under it.
 * Example: `snippetAt('visits >> 2', posAt('visits >> 2', 8))` -> `'visits >> 2\n        ^'`.
 */
export function snippetAt(text: string, pos: Pos): string {
  const lineStart = pos.offset - (pos.column - 1);
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  let line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  let col = pos.column - 1;
  if (line.length > SNIPPET_WIDTH * 2) {
    const from = Math.max(0, col - SNIPPET_WIDTH);
    const to = Math.min(line.length, col + SNIPPET_WIDTH);
    line = (from > 0 ? '…' : '') + line.slice(from, to) + (to < line.length ? '…' : '');
    col = col - from + (from > 0 ? 1 : 0);
  }
  const pad = line.slice(0, col).replace(/[^\t]/g, ' ');
  return `${line}\n${pad}^`;
}

/**
 * A positioned error. Example: `ruleError(text, pos, 'unknown path "url.pth"; did you mean "url.path"?')`.
 */
export function ruleError(text: string, pos: Pos, message: string, expected?: string): RuleError {
  const error: RuleError = { line: pos.line, column: pos.column, message, snippet: snippetAt(text, pos) };
  if (expected !== undefined) error.expected = expected;
  return error;
}
