import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { readIabTaxonomy } from '../../src/traits/iab-audience-taxonomy.ts';
import { onboardThirdParty } from '../../src/demo/onboard-third-party.ts';
import { thirdPartyCsv } from '../../src/demo/third-party-file.ts';
import { thirdPartyTraits } from '../../src/demo/third-party-traits.ts';
import { sizeOf, startWorld } from './onboarding-helpers.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const PROFILES = 3_000;

test('the demo IAB file: 1,558 third-party traits, about 10 a profile, and segments over them size exactly', async (t) => {
  const w = await startWorld(manualClock(NOW));
  t.after(() => w.close());
  const { tenant, apiKey } = await w.app.catalog.createTenant('demo');
  const report = await onboardThirdParty(w.app, tenant, {
    profiles: PROFILES,
    seed: 3,
    nodes: readIabTaxonomy(),
  });
  assert.deepEqual(report.rows, { read: PROFILES, accepted: PROFILES, rejected: 0, optedOut: 0 });
  const traits = (await w.call('GET', '/v1/traits', apiKey)).body as {
    traits: { code: string; kind: string; source: string }[];
  };
  assert.equal(traits.traits.length, 1_558);
  assert.ok(traits.traits.every((x) => x.kind === 'third-party' && x.source === 'iab-provider'));

  // count holders straight from the generated text, independently of the program
  const text = [
    ...thirdPartyCsv({
      profiles: PROFILES,
      seed: 3,
      traitCodes: thirdPartyTraits(readIabTaxonomy()).map((x) => x.code),
    }),
  ].join('');
  const holders = new Map<string, number>();
  let held = 0;
  for (const line of text.split('\n').slice(1)) {
    if (line === '') continue;
    const codes = line.split(',')[1]?.split('|') ?? [];
    held += codes.length;
    for (const code of codes) holders.set(code, (holders.get(code) ?? 0) + 1);
  }
  assert.equal(report.realisations, held);
  const mean = held / PROFILES;
  assert.ok(mean > 8 && mean < 12, `about 10 traits a profile: ${mean}`);
  const byPopularity = [...holders.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = [byPopularity[0]!, byPopularity[1]!];
  const rare = byPopularity[byPopularity.length - 1]!;
  assert.ok(top[1] > 20 * rare[1], `Zipf: ${top[0]} held by ${top[1]}, ${rare[0]} by ${rare[1]}`);

  const both = text
    .split('\n')
    .slice(1)
    .filter((line) => {
      const codes = line.split(',')[1]?.split('|') ?? [];
      return codes.includes(top[0]) && codes.includes(second[0]);
    }).length;
  const segments: [string, string, number][] = [
    ['top', `trait:${top[0]}`, top[1]],
    ['not_top', `not trait:${top[0]}`, PROFILES - top[1]],
    ['top_and_second', `trait:${top[0]} and trait:${second[0]}[within 1d]`, both],
    ['rare', `trait:${rare[0]}`, rare[1]],
  ];
  for (const [code, rule, expected] of segments) {
    assert.equal((await w.call('POST', '/v1/segments', apiKey, { code, name: code, rule })).status, 201);
    assert.equal(await sizeOf(w, apiKey, code), expected, `${code}: ${rule}`);
  }
});
