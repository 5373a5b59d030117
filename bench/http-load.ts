import { Agent, request } from 'node:http';

/** What one load run saw. */
export interface LoadResult {
  requests: number;
  /** answers by status code, e.g. `{ 200: 3000 }` */
  statuses: Record<number, number>;
  wallMs: number;
  /** per request, microseconds */
  latenciesUs: Float64Array;
  /** the body of each answer when `keepBodies` (for checking answers) */
  bodies: string[];
}

/** One load run: `requests` GETs over `concurrency` keep-alive connections, stopped after `maxMs`. */
export interface LoadOptions {
  port: number;
  path: (i: number) => string;
  headers?: Record<string, string>;
  requests: number;
  concurrency: number;
  maxMs?: number;
  keepBodies?: boolean;
}

/**
 * The load generator of the HTTP benches (loopback only): a closed loop of keep-alive GETs, bounded in
 * count and time. Example: `await runLoad({ port, path: (i) => `/px?uid=u${i}`, requests: 5000, concurrency: 16 })`.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies = new Float64Array(options.requests);
  const statuses: Record<number, number> = {};
  const bodies: string[] = [];
  const maxMs = options.maxMs ?? 60_000;
  const start = performance.now();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < options.requests && performance.now() - start < maxMs) {
      const i = next++;
      const t = performance.now();
      const { status, body } = await get(agent, options.port, options.path(i), options.headers ?? {});
      latencies[i] = (performance.now() - t) * 1000;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (options.keepBodies === true) bodies[i] = body;
      done++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const wallMs = performance.now() - start;
  agent.destroy();
  return { requests: done, statuses, wallMs, latenciesUs: latencies.subarray(0, done), bodies };
}

function get(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
