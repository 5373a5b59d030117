import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, AppOptions } from '../../src/app.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Config } from '../../src/config/config.ts';
import type { Clock } from '../../src/core/clock.ts';

export interface TestApp {
  app: App;
  base: string;
  dataDir: string;
  /** Sends a request and parses the JSON answer. */
  call(
    method: string,
    path: string,
    key?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

/** Settings a test may change: configuration (`trustProxy`, `metricsToken`, `logLevel`...) and app options. */
export interface TestAppOptions {
  config?: Partial<Config>;
  app?: AppOptions;
}

/**
 * Starts the whole program, in process, on a temp folder and a free port, with the given clock.
 * Example: `await startTestApp(clock, undefined, { config: { trustProxy: { addresses: ['loopback'] } } })`.
 */
export async function startTestApp(
  clock: Clock,
  dataDir?: string,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'opendmp-test-')));
  const config = loadConfig({ dataDir: dir, logLevel: 'silent', port: 0, ...options.config }, {});
  const app = await createApp(config, clock, options.app);
  const address = await app.server.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    base: address,
    dataDir: dir,
    async call(method, path, key, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (key !== undefined) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
      if (body !== undefined) {
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const response = await fetch(`${address}${path}`, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON (a GIF, metrics text): keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
