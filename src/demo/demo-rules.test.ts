import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDemo } from './generate-demo.ts';
import { SECTIONS } from './site-map.ts';

// A structural check without the rule language (written beside this): a tiny tokenizer, then checks that
// names exist, references point backwards, brackets balance and every clause starts with a known name.
// The full parse check against src/rules is for the lead to add.

type Token = { kind: 'word' | 'string' | 'regex' | 'punct'; text: string };

function tokens(rule: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule.charAt(i);
    if (c === ' ') i++;
    else if ('()[],'.includes(c)) out.push({ kind: 'punct', text: rule.charAt(i++) });
    else if (c === '"' || (c === '/' && out[out.length - 1]?.text === 'matches')) {
      let j = i + 1;
      while (j < rule.length && rule.charAt(j) !== c) j += rule.charAt(j) === '\\' ? 2 : 1;
      if (j >= rule.length) throw new Error(`unterminated ${c} in ${rule}`);
      j++;
      if (c === '/' && rule.charAt(j) === 'i') j++;
      out.push({ kind: c === '"' ? 'string' : 'regex', text: rule.slice(i, j) });
      i = j;
    } else {
      let j = i;
      while (j < rule.length && !' ()[],"'.includes(rule.charAt(j))) j++;
      out.push({ kind: 'word', text: rule.slice(i, j) });
      i = j;
    }
  }
  return out;
}

const isId = (s: string): boolean =>
  s.length > 0 && [...s].every((c) => 'abcdefghijklmnopqrstuvwxyz0123456789_-'.includes(c));
const EVENT_NAMES = ['event', 'url', 'referrer', 'utm', 'signals', 'geo', 'device'];
const PROFILE_NAMES = ['geo', 'device', 'visits', 'pageviews', 'first_seen', 'last_seen', 'ids'];

/** The names that start clauses (after the start, `(`, `and`, `or`, `not`), with brackets checked. */
function clauseHeads(rule: string): string[] {
  const heads: string[] = [];
  const open: string[] = []; // `(` groups clauses, `list` is the `(` after `in`, `[` holds windows
  let previous: string | undefined;
  for (const t of tokens(rule)) {
    const inList = open[open.length - 1] === 'list';
    if (t.text === '(') open.push(previous === 'in' ? 'list' : '(');
    if (t.text === '[') open.push('[');
    if (t.text === ')') assert.ok(['(', 'list'].includes(open.pop() ?? ''), `unbalanced ) in ${rule}`);
    if (t.text === ']') assert.equal(open.pop(), '[', `unbalanced ] in ${rule}`);
    const startsClause = !inList && (previous === undefined || ['(', 'and', 'or', 'not'].includes(previous));
    if (startsClause && t.kind === 'word' && t.text !== 'not') heads.push(t.text);
    if (startsClause && t.kind !== 'word' && t.text !== '(')
      assert.fail(`a clause starts with ${t.text} in ${rule}`);
    previous = t.kind === 'word' ? t.text : t.kind === 'punct' ? t.text : 'literal';
  }
  assert.equal(open.length, 0, `unbalanced brackets in ${rule}`);
  return heads;
}

const demo = generateDemo({ profiles: 0, days: 90, seed: 11, now: 0, ruleTraits: 1_000, segments: 200 });

void test('the requested numbers of traits and segments, with unique well-formed codes', () => {
  assert.equal(demo.traits.length, 1_000);
  assert.equal(demo.segments.length, 200);
  const codes = [...demo.traits.map((t) => t.code), ...demo.segments.map((s) => s.code)];
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.ok(isId(code), `bad code ${code}`);
  for (const t of demo.traits) assert.ok(t.name && t.folder && t.lifetimeDays > 0);
  assert.equal(generateDemo({ profiles: 0, days: 1, seed: 1, now: 0 }).traits.length, 60);
  assert.equal(generateDemo({ profiles: 0, days: 1, seed: 1, now: 0 }).segments.length, 20);
});

void test('a trait per section, pricing_visitor and purchaser exactly', () => {
  const rules = new Map(demo.traits.map((t) => [t.code, t.rule]));
  for (const section of SECTIONS)
    assert.equal(rules.get(`${section}_visitor`), `url.path startsWith "/${section}"`);
  assert.equal(rules.get('pricing_visitor'), 'url.path startsWith "/pricing"');
  assert.equal(rules.get('purchaser'), 'event == "purchase"');
});

void test('trait rules use event names only, and every operator appears', () => {
  const words = new Set<string>();
  for (const t of demo.traits) {
    for (const head of clauseHeads(t.rule))
      assert.ok(EVENT_NAMES.includes(head.split('.')[0] ?? ''), `${t.code}: ${head}`);
    for (const tok of tokens(t.rule)) if (tok.kind === 'word') words.add(tok.text);
    assert.ok(!t.rule.includes('trait:') && !t.rule.includes('segment:'), t.code);
  }
  for (const op of ['==', '>', '>=', 'startsWith', 'endsWith', 'contains', 'in', 'matches', 'exists', 'not'])
    assert.ok(words.has(op), `no trait uses ${op}`);
});

void test('segments name only existing traits and earlier segments', () => {
  const traits = new Set(demo.traits.map((t) => t.code));
  const earlier = new Set<string>();
  for (const s of demo.segments) {
    for (const head of clauseHeads(s.rule)) {
      if (head.startsWith('trait:')) assert.ok(traits.has(head.slice(6)), `${s.code}: unknown ${head}`);
      else if (head.startsWith('segment:'))
        assert.ok(earlier.has(head.slice(8)), `${s.code}: ${head} is not earlier`);
      else assert.ok(PROFILE_NAMES.includes(head.split('.')[0] ?? ''), `${s.code}: unknown name ${head}`);
    }
    earlier.add(s.code);
  }
});

void test('the seed scenario comes first, exactly; then the readable segments', () => {
  assert.deepEqual(demo.segments[0], {
    code: 'london_pricing',
    name: 'Returning visitors in London who visited the pricing page in the last 30 days',
    rule: 'trait:pricing_visitor[within 30d] and geo.city == "London" and visits >= 2',
  });
  const rules = new Map(demo.segments.map((s) => [s.code, s.rule]));
  assert.equal(rules.get('recent_buyers'), 'trait:purchaser[within 30d]');
  assert.equal(rules.get('london_returning'), 'geo.city == "London" and visits >= 2');
  assert.ok(rules.has('mobile_shoe_fans'));
  assert.ok([...rules.values()].includes('segment:london_returning and not segment:recent_buyers'));
});

void test('generated segments: 2 to 8 clauses, a third windowed, some with geography, device and segments', () => {
  const generated = demo.segments.filter((s) => s.code.startsWith('audience_'));
  assert.ok(generated.length >= 180);
  let windowed = 0;
  const kinds = new Set<string>();
  for (const s of generated) {
    const heads = clauseHeads(s.rule);
    assert.ok(heads.length >= 2 && heads.length <= 8, `${s.code} has ${heads.length} clauses`);
    if (tokens(s.rule).some((t) => t.text === '[')) windowed++;
    for (const head of heads) kinds.add(head.split(':')[0]?.split('.')[0] ?? '');
  }
  assert.ok(windowed / generated.length > 0.2 && windowed / generated.length < 0.45, `${windowed} windowed`);
  for (const kind of ['trait', 'segment', 'geo', 'device', 'visits'])
    assert.ok(kinds.has(kind), `no ${kind} clause`);
});
