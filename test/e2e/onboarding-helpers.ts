import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, AppOptions } from '../../src/app.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { JobReport } from '../../src/onboard/job-report.ts';

/** A running app for the onboarding tests, with the onboarding options the shared test helper cannot pass. */
export interface OnboardingWorld {
  app: App;
  dataDir: string;
  base: string;
  call(
    method: string,
    path: string,
    key: string,
    body?: unknown,
    type?: string,
  ): Promise<{ status: number; body: unknown }>;
  /** uploads a file with `?wait=true` and returns the job's final report */
  onboard(key: string, source: string, query: string, file: string, type?: string): Promise<JobReport>;
  close(keepData?: boolean): Promise<void>;
}

/**
 * Starts the whole program on `dataDir` (a new temp folder when absent) with these onboarding options.
 * Example: `const w = await startWorld(manualClock(NOW), undefined, { chunkBytes: 64 });`
 */
export async function startWorld(
  clock: Clock,
  dataDir?: string,
  options: AppOptions = {},
): Promise<OnboardingWorld> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'opendmp-onboard-')));
  const app = await createApp(loadConfig({ dataDir: dir, logLevel: 'silent', port: 0 }, {}), clock, options);
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const call: OnboardingWorld['call'] = async (method, path, key, body, type = 'application/json') => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = type;
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    app,
    dataDir: dir,
    base,
    call,
    async onboard(key, source, query, file, type = 'text/csv') {
      const r = await call('POST', `/v1/onboarding/${source}?wait=true&${query}`, key, file, type);
      if (r.status !== 200) throw new Error(`upload answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body as JobReport;
    },
    async close(keepData = false) {
      await app.close();
      // a world given a folder continues one that kept it (`close(true)`): the last to close removes it
      if (!keepData) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A tenant with a third-party source `partner` holding traits `t1`..`t5` (integration codes `P1`..`P5`)
 * and the segments `has_t1` (`trait:t1`) and `t1_or_t2_recent` (`trait:t1[within 7d] or trait:t2`).
 * Example: `const { apiKey } = await partnerTenant(world, 'acme');`
 */
export async function partnerTenant(
  world: OnboardingWorld,
  name: string,
): Promise<{ tenant: string; apiKey: string }> {
  const created = await world.app.catalog.createTenant(name);
  const key = created.apiKey;
  const expect = async (r: Promise<{ status: number; body: unknown }>, status: number): Promise<void> => {
    const { status: got, body } = await r;
    if (got !== status) throw new Error(`expected ${status}, got ${got}: ${JSON.stringify(body)}`);
  };
  await expect(
    world.call('POST', '/v1/sources', key, { code: 'partner', name: 'Partner', party: 'third' }),
    201,
  );
  const traits = [1, 2, 3, 4, 5].map((n) => ({
    code: `t${n}`,
    name: `Trait ${n}`,
    integrationCode: `P${n}`,
    lifetimeDays: 30,
  }));
  await expect(world.call('POST', '/v1/onboarding/partner/traits', key, { traits }), 201);
  await expect(
    world.call('POST', '/v1/segments', key, { code: 'has_t1', name: 'T1', rule: 'trait:t1' }),
    201,
  );
  await expect(
    world.call('POST', '/v1/segments', key, {
      code: 't1_or_t2_recent',
      name: 'T1 or T2',
      rule: 'trait:t1[within 7d] or trait:t2',
    }),
    201,
  );
  return { tenant: created.tenant, apiKey: key };
}

/** The codes of the onboarded traits a visitor holds (404: no profile -> null). */
export async function traitsOf(
  world: OnboardingWorld,
  key: string,
  uid: string,
  idType?: string,
): Promise<string[] | null> {
  const path =
    idType === undefined
      ? `/v1/profiles/${encodeURIComponent(uid)}`
      : `/v1/profiles/x?idType=${idType}&id=${encodeURIComponent(uid)}`;
  const r = await world.call('GET', path, key);
  if (r.status === 404) return null;
  return ((r.body as { traits: { code: string }[] }).traits ?? []).map((t) => t.code).sort();
}

/** A segment's exact size. */
export async function sizeOf(world: OnboardingWorld, key: string, segment: string): Promise<number> {
  return ((await world.call('GET', `/v1/segments/${segment}/size`, key)).body as { size: number }).size;
}

/** Polls a job until it succeeds or fails (at most 30 s). Example: `const report = await jobFinished(w, apiKey, job);` */
export async function jobFinished(w: OnboardingWorld, key: string, job: string): Promise<JobReport> {
  for (let i = 0; i < 600; i++) {
    const report = (await w.call('GET', `/v1/onboarding/jobs/${job}`, key)).body as JobReport;
    if (report.status === 'succeeded' || report.status === 'failed') return report;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${job} did not end`);
}
