import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckContext } from './scope.ts';
import { checkRule } from './check-rule.ts';

const profile: CheckContext = {
  scope: 'profile',
  traits: new Set(['pricing_visitor', 'purchaser']),
  segments: new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', []],
    ['london_returning', []],
  ]),
  selfCode: 'c',
};
const event: CheckContext = { scope: 'event', traits: new Set(['pricing_visitor']), segments: new Map() };

function errors(
  text: string,
  ctx: CheckContext,
): { line: number; column: number; message: string; snippet: string }[] {
  const r = checkRule(text, ctx);
  assert.equal(r.ok, false, `expected ${JSON.stringify(text)} to be rejected`);
  return r.ok ? [] : r.errors;
}

void describe('checkRule', () => {
  void it('unknown trait with did-you-mean, positioned at the reference', () => {
    const [e] = errors('visits >= 2 and trait:pricing_vistor', profile);
    assert.equal(e?.message, "unknown trait 'pricing_vistor'; did you mean 'pricing_visitor'?");
    assert.equal(e?.column, 17);
    assert.equal(e?.snippet, 'visits >= 2 and trait:pricing_vistor\n                ^');
  });

  void it('no suggestion when nothing is close', () => {
    assert.equal(errors('trait:zzzzzzzz', profile)[0]?.message, "unknown trait 'zzzzzzzz'");
  });

  void it('unknown segment and unknown path with did-you-mean', () => {
    assert.equal(
      errors('segment:london_returnin', profile)[0]?.message,
      "unknown segment 'london_returnin'; did you mean 'london_returning'?",
    );
    assert.equal(errors('vists >= 2', profile)[0]?.message, "unknown path 'vists'; did you mean 'visits'?");
    assert.equal(
      errors('url.pth == "/"', event)[0]?.message,
      "unknown path 'url.pth'; did you mean 'url.path'?",
    );
  });

  void it('names out of scope', () => {
    assert.match(errors('url.path == "/"', profile)[0]?.message ?? '', /'url.path' is an event path/);
    assert.match(errors('visits > 1', event)[0]?.message ?? '', /'visits' is a profile path/);
    assert.match(errors('trait:pricing_visitor', event)[0]?.message ?? '', /only allowed in segment rules/);
    assert.match(errors('segment:a', event)[0]?.message ?? '', /only allowed in segment rules/);
  });

  void it('segment cycles through the catalog and self-references', () => {
    assert.equal(errors('segment:a', profile)[0]?.message, 'segment cycle: c -> a -> b -> c');
    assert.equal(errors('segment:c', profile)[0]?.message, "segment 'c' refers to itself");
    assert.ok(checkRule('segment:a', { ...profile, selfCode: 'new' }).ok);
  });

  void it('wrong operator for the kind of value', () => {
    const cases: [string, RegExp][] = [
      ['visits startsWith "a"', /"startsWith" needs a string; visits is a number/],
      ['geo.city > 3', /">" needs a number; geo.city is a string/],
      ['geo.city == 3', /geo.city is a string; compare it with a string/],
      ['visits == "2"', /visits is a number/],
      ['visits in (1, "2")', /visits is a number/],
      ['first_seen == "x"', /first_seen is a time/],
      ['ids.maid == "x"', /ids.maid allows only "exists"/],
      ['visits within 30d', /"within" needs a time path/],
      ['pageviews matches /1/', /"matches" needs a string/],
    ];
    for (const [text, message] of cases) assert.match(errors(text, profile)[0]?.message ?? '', message, text);
    assert.match(errors('signals.x within 3d', event)[0]?.message ?? '', /needs a time path/);
  });

  void it('accepts what is allowed, including untyped signals and query values with any operator', () => {
    const ok = (text: string, ctx: CheckContext) =>
      assert.deepEqual(checkRule(text, ctx).ok ? [] : checkRule(text, ctx), [], text);
    ok(
      'signals.value > 100 and signals.x startsWith "a" and url.query.page >= 2 and signals.y == true',
      event,
    );
    ok('ids.maid exists and first_seen exists and last_seen after 2026-01-01 and visits != 0', profile);
    ok(
      'geo.city in ("London", "Paris") and device.os matches /ios/i and trait:purchaser[count < 3]',
      profile,
    );
  });

  void it('reports every error, in order, and parse errors as they are', () => {
    const all = errors('trait:nope and geo.city > 1\n and vists exists', profile);
    assert.deepEqual(
      all.map((e) => [e.line, e.column]),
      [
        [1, 1],
        [1, 16],
        [2, 6],
      ],
    );
    assert.match(errors('visits >', profile)[0]?.message ?? '', /expected a value/);
  });
});
