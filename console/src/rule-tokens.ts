/**
 * The rule editor's highlighting: rule text cut into pieces, each with the kind of token it is, read
 * with the rule language's own lexer (`src/core/rules/rule-lexer.ts`, pure: no Node module), so that
 * the colours can never disagree with what the API parses. Text the lexer refuses is an `error` piece,
 * and lexing goes on after it, so the rest of the rule stays coloured while it is typed.
 */
import { lexRule } from '../../src/core/rules/rule-lexer.ts';
import type { Token } from '../../src/core/rules/rule-lexer.ts';

/** What a piece of rule text is; the editor gives each the class `tok-KIND`. */
export type TokenKind =
  | 'keyword'
  | 'function'
  | 'field'
  | 'ref'
  | 'string'
  | 'regex'
  | 'number'
  | 'operator'
  | 'punct'
  | 'comment'
  | 'space'
  | 'error';

/** A run of the text: `error` also when the API put an error on it (the kind stays). */
export interface Piece {
  text: string;
  kind: TokenKind;
  error: boolean;
}

interface Span {
  start: number;
  end: number;
  kind: TokenKind;
}

/** The words of the language's grammar (any letter case); `contains` and friends test a path's value. */
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'exists',
  'within',
  'before',
  'after',
  'count',
  'true',
  'false',
]);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'matches']);

/** The kind of one token of the lexer. Example: `kindOf({ kind: 'name', text: 'AND', ... })` -> `'keyword'`. */
function kindOf(token: Token): TokenKind {
  switch (token.kind) {
    case 'name': {
      const word = token.text.toLowerCase();
      return KEYWORDS.has(word) ? 'keyword' : FUNCTIONS.has(word) ? 'function' : 'field';
    }
    case 'ref':
      return 'ref';
    case 'string':
      return 'string';
    case 'regex':
      return 'regex';
    case 'number':
    case 'duration':
    case 'date':
      return 'number';
    case 'op':
      return 'operator';
    default:
      return 'punct';
  }
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** The tokens of the longest start of `text` (up to `cut`) that lexes, and where they stop. */
function lexPrefix(text: string, cut: number): { tokens: Token[]; end: number } {
  for (let at = cut; at > 0;) {
    const r = lexRule(text.slice(0, at));
    if (r.ok) return { tokens: r.tokens.filter((t) => t.kind !== 'eof'), end: at };
    at = r.failure.offset < at ? r.failure.offset : at - 1;
  }
  return { tokens: [], end: 0 };
}

/** The first offset at or after `at` that is neither blank nor in a comment. */
function skipBlank(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    if (isBlank(text[i])) i++;
    else if (text[i] === '#') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else break;
  }
  return i;
}

/** The spans of the tokens and refused runs of `text`, in order (blanks and comments between them). */
function tokenSpans(text: string): Span[] {
  const spans: Span[] = [];
  let base = 0;
  while (base < text.length) {
    const rest = text.slice(base);
    const lexed = lexRule(rest);
    const failAt = lexed.ok ? rest.length : lexed.failure.offset;
    const { tokens, end } = lexed.ok
      ? { tokens: lexed.tokens.filter((t) => t.kind !== 'eof'), end: rest.length }
      : lexPrefix(rest, failAt);
    if (lexed.ok) {
      for (const t of tokens) spans.push({ start: base + t.offset, end: base + t.end, kind: kindOf(t) });
      break;
    }
    // the refused run: from the start of its word (or what follows the last good token) to its end
    let start = failAt;
    while (start > 0 && !isBlank(rest[start - 1])) start--;
    start = Math.min(start, skipBlank(rest, end));
    while (tokens.length > 0 && (tokens[tokens.length - 1]?.end ?? 0) > start)
      start = Math.min(start, tokens.pop()?.offset ?? start);
    for (const t of tokens) spans.push({ start: base + t.offset, end: base + t.end, kind: kindOf(t) });
    if (start >= rest.length) break;
    let stop = Math.max(failAt, start + 1);
    if (rest[start] === '"' || rest[start] === '/')
      stop = rest.indexOf('\n', start) < 0 ? rest.length : rest.indexOf('\n', start);
    else while (stop < rest.length && !isBlank(rest[stop])) stop++;
    spans.push({ start: base + start, end: base + stop, kind: 'error' });
    base += stop;
  }
  return spans;
}

/** The blanks and comments between two spans, as pieces. */
function gapPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const part of text.split(/(#[^\n]*)/)) {
    if (part !== '')
      pieces.push({ text: part, kind: part.startsWith('#') ? 'comment' : 'space', error: false });
  }
  return pieces;
}

/**
 * The offset of a line and column (both from 1) in `text`, as the API's rule errors give them.
 * Example: `offsetOf('a\nbc', 2, 2)` -> `3`.
 */
export function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return Math.min(at + Math.max(column, 1) - 1, text.length);
}

/**
 * The pieces of `text` to colour, joined they are `text` (plus one blank at the end when an error sits
 * at the very end: "unexpected end of rule"). A piece holding one of `errorOffsets` is marked `error`;
 * an offset on a blank marks that one character.
 *
 * Example: `highlightRule('url.pth == "a"', [0])` ->
 * `[{ text: 'url.pth', kind: 'field', error: true }, { text: ' ', kind: 'space', error: false },
 *   { text: '==', kind: 'operator', error: false }, ..., { text: '"a"', kind: 'string', error: false }]`
 */
export function highlightRule(text: string, errorOffsets: readonly number[] = []): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const span of tokenSpans(text)) {
    if (span.start > at) pieces.push(...gapPieces(text.slice(at, span.start)));
    pieces.push({ text: text.slice(span.start, span.end), kind: span.kind, error: false });
    at = span.end;
  }
  if (at < text.length) pieces.push(...gapPieces(text.slice(at)));
  return markErrors(pieces, errorOffsets);
}

/** Marks the piece at each offset (splitting a blank or comment to mark one character). */
function markErrors(pieces: Piece[], offsets: readonly number[]): Piece[] {
  let out = pieces;
  for (const offset of offsets) {
    const next: Piece[] = [];
    let at = 0;
    let marked = false;
    for (const piece of out) {
      const end = at + piece.text.length;
      if (!marked && offset >= at && offset < end) {
        marked = true;
        if (piece.kind === 'space' || piece.kind === 'comment') {
          const i = offset - at;
          const parts = [piece.text.slice(0, i), piece.text.slice(i, i + 1), piece.text.slice(i + 1)];
          parts.forEach((part, k) => part !== '' && next.push({ ...piece, text: part, error: k === 1 }));
        } else next.push({ ...piece, error: true });
      } else next.push(piece);
      at = end;
    }
    if (!marked) next.push({ text: ' ', kind: 'space', error: true });
    out = next;
  }
  return out;
}
