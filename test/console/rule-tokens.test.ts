import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightRule, offsetOf } from '../../console/src/rule-tokens.ts';
import type { Piece } from '../../console/src/rule-tokens.ts';

/** The pieces as `[text, kind]` (with `!` after the kind when marked as an error), blanks left out. */
const shown = (pieces: Piece[]) =>
  pieces.filter((p) => p.kind !== 'space' || p.error).map((p) => [p.text, p.kind + (p.error ? '!' : '')]);

const joined = (pieces: Piece[]) => pieces.map((p) => p.text).join('');

test("each token kind of docs/rule-language.md gets its class, read by the language's own lexer", () => {
  const rule =
    'event == "purchase" AND signals.value >= 100 or url.path startsWith "/p" # note\n' +
    'and not (geo.country in ("GB", "FR")) and url.path matches /^\\/x/i and signals.plan exists';
  const pieces = highlightRule(rule);
  assert.equal(joined(pieces), rule, 'the pieces are the text, so the layer lines up with the textarea');
  assert.deepEqual(shown(pieces), [
    ['event', 'field'],
    ['==', 'operator'],
    ['"purchase"', 'string'],
    ['AND', 'keyword'],
    ['signals.value', 'field'],
    ['>=', 'operator'],
    ['100', 'number'],
    ['or', 'keyword'],
    ['url.path', 'field'],
    ['startsWith', 'function'],
    ['"/p"', 'string'],
    ['# note', 'comment'],
    ['and', 'keyword'],
    ['not', 'keyword'],
    ['(', 'punct'],
    ['geo.country', 'field'],
    ['in', 'keyword'],
    ['(', 'punct'],
    ['"GB"', 'string'],
    [',', 'punct'],
    ['"FR"', 'string'],
    [')', 'punct'],
    [')', 'punct'],
    ['and', 'keyword'],
    ['url.path', 'field'],
    ['matches', 'function'],
    ['/^\\/x/i', 'regex'],
    ['and', 'keyword'],
    ['signals.plan', 'field'],
    ['exists', 'keyword'],
  ]);
});

test('references, windows, durations and dates of segment rules', () => {
  assert.deepEqual(
    shown(highlightRule('trait:pricing[count >= 2, within 30d] and last_seen before 2026-11-01')),
    [
      ['trait:pricing', 'ref'],
      ['[', 'punct'],
      ['count', 'keyword'],
      ['>=', 'operator'],
      ['2', 'number'],
      [',', 'punct'],
      ['within', 'keyword'],
      ['30d', 'number'],
      [']', 'punct'],
      ['and', 'keyword'],
      ['last_seen', 'field'],
      ['before', 'keyword'],
      ['2026-11-01', 'number'],
    ],
  );
});

test('text the lexer refuses is an error piece, and the rest of the rule stays coloured', () => {
  assert.deepEqual(shown(highlightRule('event = "x" and url.path == "/a"')), [
    ['event', 'field'],
    ['=', 'error'],
    ['"x"', 'string'],
    ['and', 'keyword'],
    ['url.path', 'field'],
    ['==', 'operator'],
    ['"/a"', 'string'],
  ]);
  // an unterminated string runs to the end of its line; the next line is read again
  const open = 'url.path == "/a and\nvisits > 2';
  assert.equal(joined(highlightRule(open)), open);
  assert.deepEqual(shown(highlightRule(open)), [
    ['url.path', 'field'],
    ['==', 'operator'],
    ['"/a and', 'error'],
    ['visits', 'field'],
    ['>', 'operator'],
    ['2', 'number'],
  ]);
  assert.deepEqual(shown(highlightRule('url. == 2026-13-01 or trait:Pricing')), [
    ['url.', 'error'],
    ['==', 'operator'],
    ['2026-13-01', 'error'],
    ['or', 'keyword'],
    ['trait:Pricing', 'error'],
  ]);
  assert.deepEqual(shown(highlightRule('url.path matches /a/x')), [
    ['url.path', 'field'],
    ['matches', 'function'],
    ['/a/x', 'error'],
  ]);
});

test("the API's error positions mark the token there, a blank, or the end of the rule", () => {
  const rule = 'url.path == "/x" and\n  url.pth == "/y"';
  // the API's error for url.pth: line 2, column 3
  const at = offsetOf(rule, 2, 3);
  assert.equal(rule.slice(at, at + 7), 'url.pth');
  assert.deepEqual(
    shown(highlightRule(rule, [at])).filter(([, kind]) => kind?.endsWith('!')),
    [['url.pth', 'field!']],
  );
  // "unexpected end of rule" at line 1, column 14: one blank marked after the text
  const cut = 'url.path == "';
  const end = highlightRule('url.path and', [offsetOf('url.path and', 1, 13)]);
  assert.deepEqual(end[end.length - 1], { text: ' ', kind: 'space', error: true });
  assert.equal(joined(end), 'url.path and ');
  // on a blank: that one character
  const blank = highlightRule('a  == 1', [1]);
  assert.deepEqual(
    blank.slice(0, 3).map((p) => [p.text, p.error]),
    [
      ['a', false],
      [' ', true],
      [' ', false],
    ],
  );
  assert.equal(offsetOf(cut, 9, 9), cut.length, 'a line past the end is the end');
});
