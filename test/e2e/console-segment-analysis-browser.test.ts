import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { WAIT_MS, consoleUser, logInFirstTime } from '../helpers/console-users.ts';
import { openConsoleTab } from '../helpers/console-tab.ts';
import { postSegments } from '../helpers/post-segments.ts';
import { CHROME_UA, LONDON_IP, MOUNTAIN_VIEW_IP } from '../helpers/addresses.ts';
import { percentOf } from '../../console/src/venn.ts';
import type { Explanation } from '../../console/src/explanation.ts';
import { nodeLine } from '../../console/src/explanation.ts';
import { maidOf } from '../helpers/fake-ids.ts';

const DAY = 86_400_000;
/** The first day's sizing; the browser opens the console two days later. */
const START = Date.parse('2026-11-18T12:00:00Z');
/** Screenshots of each page, kept by CI as test artefacts (git-ignored). */
const SHOTS = 'test-artifacts/console';
/** The segment the analyst opens and the two it is compared with. */
const PRICING = 'trait:pricing_visitor[within 30d] and visits >= 1';

/**
 * Visitors `v-FROM` to `v-TO - 1`, posted at `now`: the even ones from London, the others from Mountain
 * View; three in four visited the pricing page ten days ago, the others (v-02, v-06...) the shoes page;
 * two in three came back yesterday (two visits).
 */
async function visitors(h: TestApp, apiKey: string, from: number, to: number, now: number): Promise<void> {
  const events = [];
  for (let i = from; i < to; i++) {
    const uid = `v-${String(i).padStart(2, '0')}`;
    const ip = i % 2 === 0 ? LONDON_IP : MOUNTAIN_VIEW_IP;
    const page = (ts: number, path: string) => ({
      uid,
      ip,
      ua: CHROME_UA,
      ts,
      url: `https://shop.example.com${path}`,
      ids: { maid: maidOf(uid) },
    });
    events.push(page(now - 10 * DAY, i % 4 === 2 ? '/shoes' : '/pricing/plans'));
    if (i % 3 !== 0) events.push(page(now - DAY, '/'));
  }
  const posted = await h.call('POST', '/v1/events', apiKey, events);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
}

/** The text of each node of the explanation on the page, depth first, as `nodeLine` writes it. */
function lines(node: Explanation): string[] {
  return [nodeLine(node), ...(node.children ?? []).flatMap(lines)];
}

/** The whole-number text of a locator (the console writes counts with `toLocaleString('en')`). */
async function numberIn(tab: Page, selector: string): Promise<number> {
  return Number(((await tab.locator(selector).textContent()) ?? '').replace(/,/g, ''));
}

/**
 * Issue 17's segment analysis in Chromium: 40 visitors posted over three days, three segments made by the
 * API; an analyst opens one, checks the two others and reads a matrix whose numbers are those of
 * `POST /v1/audience/overlap`, and a Venn diagram whose seven regions add up to the union sized on its own
 * (`segment:a or segment:b or segment:c`); reads the daily sizes (chart and table, as the trend route
 * answers) and the insights; explains one visitor in and one out, part by part as the explain route
 * answers. A viewer sees why there is no analysis. axe-core finds no serious violation.
 */
test('in Chromium: overlap matrix and Venn diagram, daily size, insights and why a visitor is in or out', async (t) => {
  await mkdir(SHOTS, { recursive: true });
  const clock = manualClock(START);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const ok = (r: { status: number; body: unknown }) => assert.ok(r.status < 300, JSON.stringify(r.body));
  for (const [code, path] of [
    ['pricing_visitor', '/pricing'],
    ['shoes_visitor', '/shoes'],
  ])
    ok(
      await h.call('POST', '/v1/traits', apiKey, { code, name: code, rule: `url.path startsWith "${path}"` }),
    );
  await postSegments(h, apiKey, [
    ['pricing_fans', 'Pricing fans', PRICING],
    ['returning', 'Returning', 'visits >= 2'],
    ['london', 'London', 'geo.city == "London"'],
  ]);
  // three days of sizes: the sweep keeps each day's, the trend adds today's live one
  await visitors(h, apiKey, 0, 20, clock.now());
  await h.app.sweep();
  clock.advance(DAY);
  await visitors(h, apiKey, 20, 30, clock.now());
  await h.app.sweep();
  clock.advance(DAY);
  await visitors(h, apiKey, 30, 40, clock.now());
  const analystPassword = await consoleUser(h, apiKey, 'ana@acme.com', 'analyst');
  const viewerPassword = await consoleUser(h, apiKey, 'vic@acme.com', 'viewer');

  const { tab, errors } = await openConsoleTab(t, `${h.base}/`, {
    login: { email: 'ana@acme.com', password: analystPassword },
  });
  await tab.goto(`${h.base}/#/segments/pricing_fans`);
  await tab.getByRole('heading', { name: 'Overlap with other segments' }).waitFor({ timeout: WAIT_MS });

  // overlap: check the two others; the matrix says what the overlap route says, in the page's order
  await tab.getByRole('checkbox', { name: 'Returning (returning)' }).check();
  await tab.getByRole('checkbox', { name: 'London (london)' }).check();
  const venn = tab.getByRole('img', { name: /^Venn diagram of / });
  await venn.waitFor({ timeout: WAIT_MS });
  const codes = await tab.locator('#overlap-matrix tbody th[scope="row"]').allTextContents();
  assert.deepEqual([...codes].sort(), ['london', 'pricing_fans', 'returning']);
  assert.equal(codes[0], 'pricing_fans', 'the open segment comes first');
  const overlap = (await h.call('POST', '/v1/audience/overlap', apiKey, { segments: codes })).body as {
    sizes: number[];
    overlap: number[][];
  };
  assert.ok(overlap.sizes.every((s) => s > 0) && overlap.overlap[0]![1]! > 0, JSON.stringify(overlap));
  for (const [i, row] of codes.entries()) {
    assert.equal(
      await numberIn(tab, `#overlap-matrix tr[data-row="${row}"] td[data-size]`),
      overlap.sizes[i],
    );
    for (const [j, col] of codes.entries()) {
      const n = overlap.overlap[i]![j]!;
      const cell = tab.locator(`#overlap-matrix tr[data-row="${row}"] td[data-col="${col}"]`);
      assert.equal(await cell.textContent(), `${n} (${percentOf(n, overlap.sizes[i]!)})`, `${row} x ${col}`);
    }
  }
  // the Venn diagram's seven regions add up to the union, sized independently
  const union = (
    (
      await h.call('POST', '/v1/audience/size', apiKey, {
        rule: codes.map((c) => `segment:${c}`).join(' or '),
      })
    ).body as { size: number }
  ).size;
  const regions = ['a', 'b', 'c', 'ab', 'ac', 'bc', 'abc'];
  let sum = 0;
  for (const r of regions) {
    const drawn = await numberIn(tab, `svg text[data-region="${r}"]`);
    assert.equal(
      await numberIn(tab, `#venn-table tr[data-region="${r}"] td`),
      drawn,
      `region ${r} in the table`,
    );
    sum += drawn;
  }
  assert.equal(sum, union);
  assert.equal(await numberIn(tab, '#venn-table tr[data-region="union"] td'), union);
  const triple = (
    (
      await h.call('POST', '/v1/audience/size', apiKey, {
        rule: codes.map((c) => `segment:${c}`).join(' and '),
      })
    ).body as { size: number }
  ).size;
  assert.equal(await numberIn(tab, 'svg text[data-region="abc"]'), triple);
  assert.match((await venn.getAttribute('aria-labelledby')) ?? '', /venn-title/);
  await tab.locator('#overlap-heading').scrollIntoViewIfNeeded();
  await tab.screenshot({ path: `${SHOTS}/segment-overlap.png`, fullPage: true });
  // unchecking one leaves a matrix of two and no diagram
  await tab.getByRole('checkbox', { name: 'London (london)' }).uncheck();
  await venn.waitFor({ state: 'detached', timeout: WAIT_MS });
  await tab.getByText('Check exactly two other segments to see the three as a Venn diagram.').waitFor();
  assert.equal(await tab.locator('#overlap-matrix tbody tr').count(), 2);

  // the daily size: three days, bars and table as the trend route answers
  const trend = (await h.call('GET', '/v1/segments/pricing_fans/trend?days=30', apiKey)).body as {
    points: { date: string; size: number }[];
  };
  assert.deepEqual(
    trend.points.map((p) => p.date),
    ['2026-11-18', '2026-11-19', '2026-11-20'],
  );
  assert.ok(trend.points[0]!.size < trend.points[2]!.size, 'the segment grew');
  assert.equal(trend.points[2]!.size, overlap.sizes[0]);
  for (const p of trend.points) {
    assert.equal(await numberIn(tab, `#trend-table tr[data-date="${p.date}"] td`), p.size);
    assert.equal(
      await tab.locator(`svg rect[data-date="${p.date}"] title`).textContent(),
      `${p.date}: ${p.size} profiles`,
    );
  }
  const heights = await Promise.all(
    trend.points.map(async (p) =>
      Number(await tab.locator(`svg rect[data-date="${p.date}"]`).getAttribute('height')),
    ),
  );
  assert.ok(heights[0]! < heights[2]!, 'a bigger day has a taller bar');
  await tab.getByRole('img', { name: /^Daily members of pricing_fans from 2026-11-18/ }).waitFor();
  await tab.getByText('Day (UTC)', { exact: true }).first().waitFor();

  // insights: the table lists the traits as the insights route ranks them
  const insights = (await h.call('GET', '/v1/segments/pricing_fans/insights?limit=20', apiKey)).body as {
    traits: { trait: string; count: number; index: number }[];
  };
  assert.ok(
    insights.traits.some((x) => x.trait === 'pricing_visitor'),
    JSON.stringify(insights),
  );
  await tab.locator('#insights-table').waitFor({ timeout: WAIT_MS });
  assert.deepEqual(
    await tab.locator('#insights-table tbody th').allTextContents(),
    insights.traits.map((x) => x.trait),
  );
  for (const x of insights.traits) {
    const cells = await tab.locator(`#insights-table tr[data-trait="${x.trait}"] td`).allTextContents();
    assert.equal(cells[0], String(x.count));
    assert.equal(cells[3], String(Math.round(x.index)));
  }

  // why: v-01 (pricing, Mountain View) is in, v-02 (shoes, London, returning) is out, each part as the
  // explain route says
  for (const [uid, verdict] of [
    ['v-01', 'is in'],
    ['v-02', 'is not in'],
  ] as const) {
    await tab.getByLabel('Visitor ID').fill(uid);
    await tab.getByRole('button', { name: 'Explain' }).click();
    await tab
      .locator('#why-verdict', { hasText: `${uid} ${verdict} pricing_fans` })
      .waitFor({ timeout: WAIT_MS });
    const api = (await h.call('GET', `/v1/profiles/${uid}/explain?segment=pricing_fans`, apiKey)).body as {
      explanation: Explanation;
    };
    assert.equal(api.explanation.result, verdict === 'is in');
    assert.deepEqual(await tab.locator('ul.explain code').allTextContents(), lines(api.explanation));
    assert.equal(api.explanation.children?.length, 2, 'the trait and the visits, each explained');
  }
  assert.match(
    (await tab.locator('ul.explain code').first().textContent()) ?? '',
    /^trait:pricing_visitor\[within 30d\] and visits >= 1: false/,
  );
  // any ID finds the visitor: v-01 by its mobile ad ID, explained as by its uid
  await tab.getByLabel('ID type').fill('maid');
  await tab.getByLabel('Visitor ID').fill(maidOf('v-01'));
  await tab.getByRole('button', { name: 'Explain' }).click();
  await tab.locator('#why-verdict', { hasText: 'v-01 is in pricing_fans' }).waitFor({ timeout: WAIT_MS });
  const byUid = (await h.call('GET', '/v1/profiles/v-01/explain?segment=pricing_fans', apiKey)).body as {
    explanation: Explanation;
  };
  assert.deepEqual(await tab.locator('ul.explain code').allTextContents(), lines(byUid.explanation));
  await tab.getByLabel('ID type').fill('uid');
  await tab.getByLabel('Visitor ID').fill('nobody');
  await tab.getByRole('button', { name: 'Explain' }).click();
  await tab
    .getByRole('alert')
    .filter({ hasText: "no profile with uid 'nobody'" })
    .waitFor({ timeout: WAIT_MS });
  await tab.getByLabel('Visitor ID').fill('v-02');
  await tab.getByRole('button', { name: 'Explain' }).click();
  await tab.locator('#why-verdict', { hasText: 'v-02 is not in' }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await seriousViolations(tab), [], 'the segment page with its analysis');
  await tab.locator('#why-heading').scrollIntoViewIfNeeded();
  await tab.screenshot({ path: `${SHOTS}/segment-why.png`, fullPage: true });
  // on a tablet (800 px) nothing is wider than the screen: the charts shrink, the tables wrap or scroll
  await tab.getByRole('checkbox', { name: 'London (london)' }).check();
  await venn.waitFor({ timeout: WAIT_MS });
  await tab.setViewportSize({ width: 800, height: 1000 });
  const width = await tab.evaluate<number>('document.documentElement.scrollWidth');
  assert.ok(width <= 800, `the page is ${width} px wide at 800 px`);
  await tab.screenshot({ path: `${SHOTS}/segment-analysis-tablet.png`, fullPage: true });
  await tab.getByRole('button', { name: 'Log out' }).click();

  // a viewer: no analysis, one sentence why (the API refuses it too)
  await tab.getByRole('button', { name: 'Log in' }).waitFor({ timeout: WAIT_MS });
  await logInFirstTime(tab, 'vic@acme.com', viewerPassword);
  await tab.goto(`${h.base}/#/segments/pricing_fans`);
  await tab
    .getByText(/Your role \(viewer\) may read this segment but not analyse it/)
    .waitFor({ timeout: WAIT_MS });
  assert.equal(await tab.getByRole('heading', { name: 'Overlap with other segments' }).count(), 0);
  assert.equal(await tab.getByLabel('Visitor ID').count(), 0);
  assert.deepEqual(await seriousViolations(tab), [], 'the segment page of a viewer');

  assert.deepEqual(errors, [], 'no script errors on any page');
});
