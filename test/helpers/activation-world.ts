import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createApp } from '../../src/app.ts';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { manualClock } from '../../src/core/clock.ts';

/** The test clock. Example: `const clock: ManualClock = manualClock(NOW);` */
export type ManualClock = ReturnType<typeof manualClock>;
import type { ActivationRun } from '../../src/catalog/catalog.ts';
import type { FunnelReport } from '../../src/core/activation/index.ts';
import { encodeTc } from '../consent/consent-fixtures.ts';
import { startPartnerServer } from './partner-server.ts';
import type { PartnerServer } from './partner-server.ts';

/** TC strings: consent for vendor 755 and purposes 1, 3, 4; and the same purposes without the vendor. */
export const WITH_VENDOR = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [755] });
export const WITHOUT_VENDOR = encodeTc({ purposeConsents: [1, 3, 4], vendorConsents: [] });

/** The program on a temp folder with the run routes, a partner server and an API key (from `activation-runs.test.ts`). */
export interface World {
  app: App;
  base: string;
  dataDir: string;
  apiKey: string;
  siteKey: string;
  tenant: string;
  partner: PartnerServer;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  post(events: unknown[]): Promise<number>;
  /** stops the app and the partner; removes the folder unless it was given */
  close(): Promise<void>;
}

/** The partner servers of tests listen on loopback, which destinations may reach only when allowed. */
export const LOOPBACK = ['127.0.0.0/8', '::1'];

/**
 * Starts the whole program with the given clock (on `dataDir` when given: a restart keeps the tenant),
 * its partners allowed on `allowPrivate` (loopback; `[]`: public addresses only, the default of `dmp serve`).
 *
 * Example: `const w = await startWorld(manualClock(NOW)); t.after(() => w.close());`
 */
export async function startWorld(
  clock: ManualClock,
  dataDir?: string,
  scheduleTickMs = 40,
  allowPrivate: string[] = LOOPBACK,
): Promise<World> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'opendmp-act-')));
  const config = loadConfig(
    { dataDir: dir, logLevel: 'silent', port: 0, allowPrivateDestinations: allowPrivate },
    {},
  );
  const app = await createApp(config, clock, {
    batchRunner: {
      retry: { baseMs: 5, maxMs: 40, maxAttempts: 3, jitter: () => 0.5 },
      requestTimeoutMs: 5000,
      scheduleTickMs,
    },
  });
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const partner = await startPartnerServer();
  const tenants = await app.catalog.listTenants();
  const created = tenants.length === 0 ? await app.catalog.createTenant('acme') : undefined;
  const tenant = created?.tenant ?? tenants[0]!.id;
  if (created !== undefined) {
    await writeFile(
      join(dir, 'keys.json'),
      JSON.stringify({ apiKey: created.apiKey, siteKey: created.siteKey }),
    );
  }
  const keys = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as {
    apiKey: string;
    siteKey: string;
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${keys.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    app,
    base,
    dataDir: dir,
    apiKey: keys.apiKey,
    siteKey: keys.siteKey,
    tenant,
    partner,
    call,
    post: async (events) => (await call('POST', '/v1/events', events)).status,
    async close() {
      await partner.close();
      await app.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Asserts a 2xx answer. Example: `ok(await w.call('POST', '/v1/traits', trait))` */
export function ok(answer: { status: number; body: unknown }): void {
  assert.ok(answer.status < 300, `${answer.status} ${JSON.stringify(answer.body)}`);
}

/**
 * Traits and segments `pricing_fans` (pricing, not cancelled) and `readers` (blog).
 *
 * Example: `await seedRules(w); await w.post([{ uid: 'v-1', url: 'https://shop.example.com/pricing' }]);`
 */
export async function seedRules(w: World): Promise<void> {
  ok(
    await w.call('POST', '/v1/traits', {
      code: 'pricing',
      name: 'P',
      rule: 'url.path startsWith "/pricing"',
    }),
  );
  ok(
    await w.call('POST', '/v1/traits', { code: 'churned', name: 'C', rule: 'url.path startsWith "/cancel"' }),
  );
  ok(await w.call('POST', '/v1/traits', { code: 'blog', name: 'B', rule: 'url.path startsWith "/blog"' }));
  ok(
    await w.call('POST', '/v1/segments', {
      code: 'pricing_fans',
      name: 'PF',
      rule: 'trait:pricing and not trait:churned',
    }),
  );
  ok(await w.call('POST', '/v1/segments', { code: 'readers', name: 'R', rule: 'trait:blog' }));
}

/**
 * A page view of `path` with consent for vendor 755 (or `tcf`), and a `maid` when given (a UUID, as
 * collection checks device IDs: make one from a label with `maidOf` of test/helpers/fake-ids.ts).
 *
 * Example: `visit('v-01', '/pricing', { maid: maidOf('m-1') })`
 */
export function visit(uid: string, path: string, extra: { maid?: string; tcf?: string } = {}): unknown {
  return {
    uid,
    url: `https://shop.example.com${path}`,
    consent: { gdpr: 1, tcf: extra.tcf ?? WITH_VENDOR },
    ...(extra.maid === undefined ? {} : { ids: { maid: extra.maid } }),
  };
}

const CONSENT = { vendorId: 755, purposes: [1, 3, 4] };

/** An http destination to the partner. Example: `httpDestination(w.partner.url, 'hook', { batchSize: 3 })` */
export function httpDestination(url: string, code: string, settings: Record<string, unknown> = {}) {
  return {
    kind: 'http',
    code,
    name: code,
    segments: [
      { segment: 'pricing_fans', id: '607' },
      { segment: 'readers', id: '12' },
    ],
    idType: 'uid',
    consent: CONSENT,
    restrictions: [],
    settings: { url, batchSize: 3, ...settings },
  };
}

/** A file destination with columns id, segs (`;`), action. Example: `fileDestination('exports', 'csv', 4)` */
export function fileDestination(code: string, format: 'csv' | 'ndjson', batchSize: number, idType = 'uid') {
  return {
    kind: 'file',
    code,
    name: code,
    segments: [
      { segment: 'pricing_fans', id: '607' },
      { segment: 'readers', id: '12' },
    ],
    idType,
    consent: CONSENT,
    restrictions: [],
    settings: {
      format,
      mode: 'delta',
      batchSize,
      columns: [
        { name: 'id', from: 'id' },
        { name: 'segs', from: 'segment_ids', separator: ';' },
        { name: 'action', from: 'action' },
      ],
    },
  };
}

/** One step of a funnel, asserted present. Example: `step(report, 'consented').lost` */
export function step(report: FunnelReport, name: string) {
  const found = report.steps.find((s) => s.step === name);
  assert.ok(found, name);
  return found;
}

/** Asserts previous count = count + lost + pending, and lost = the sum of the reasons, at every step. */
export function assertFunnelAddsUp(report: FunnelReport, what = 'funnel'): void {
  for (let i = 1; i < report.steps.length; i++) {
    const before = report.steps[i - 1]!;
    const s = report.steps[i]!;
    assert.equal(before.count, s.count + s.lost + s.pending, `${what}: ${s.step} adds up`);
    assert.equal(
      s.lost,
      s.reasons.reduce((n, r) => n + r.count, 0),
      `${what}: reasons of ${s.step}`,
    );
  }
}

/** Runs a destination through the API and waits. Example: `await runViaApi(w, 'hook', { runId: 'r1' })` */
export async function runViaApi(w: World, code: string, body: unknown = {}): Promise<ActivationRun> {
  const answer = await w.call('POST', `/v1/destinations/${code}/runs?wait=true`, body);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as ActivationRun;
}

/** Polls until `check` gives a value (not undefined), or fails after `ms`. Example: `await waitFor(() => x)` */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    assert.ok(performance.now() < until, `waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every file of a run's export folder, name -> bytes. Example: `await exportFiles(w, 'exports', 'r1')` */
export async function exportFiles(w: World, code: string, runId: string): Promise<Map<string, Buffer>> {
  const dir = join(w.dataDir, 'exports', w.tenant, code, runId);
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name)));
  return files;
}

/** A gzipped part as text. Example: `gunzipText(files.get('part-00000.csv.gz')!)` */
export function gunzipText(bytes: Buffer): string {
  return gunzipSync(bytes).toString('utf8');
}
