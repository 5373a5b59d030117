import { Agent, request } from 'node:http';

/** One HTTP answer. */
export interface Answer {
  status: number;
  body: string;
}

/** One request of a round trip. */
export interface Call {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a run of round trips saw: how many, and every answer's status by step. */
export interface RoundTripResult {
  roundTrips: number;
  statuses: Record<string, number>;
  wallMs: number;
}

/**
 * The load of the sync bench (loopback only): `roundTrips` round trips over `concurrency` keep-alive
 * connections, each a browser's: `first(i)` (the `/cookie_sync` POST), then `then(i, answer)` (the
 * `/setuid` GET built from the answer, or undefined to stop with an error). A closed loop, as
 * `http-load.ts` is for single GETs. Statuses are counted as `STEP:STATUS` (`sync:200`, `setuid:200`).
 * Example: `await runRoundTrips({ port, roundTrips: 1000, concurrency: 16, first, then })`.
 */
export async function runRoundTrips(options: {
  port: number;
  roundTrips: number;
  concurrency: number;
  first: (i: number) => Call;
  then: (i: number, answer: Answer) => Call;
}): Promise<RoundTripResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const statuses: Record<string, number> = {};
  const tally = (key: string): void => {
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  const start = performance.now();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < options.roundTrips) {
      const i = next++;
      const answer = await call(agent, options.port, options.first(i));
      tally(`sync:${answer.status}`);
      const second = await call(agent, options.port, options.then(i, answer));
      tally(`setuid:${second.status}`);
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { roundTrips: done, statuses, wallMs: performance.now() - start };
}

/** One request on loopback. Example: `await call(agent, 8080, { method: 'GET', path: '/readyz', headers: {} })`. */
export function call(agent: Agent, port: number, c: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...c.headers };
    if (c.body !== undefined) headers['content-length'] = String(Buffer.byteLength(c.body));
    const req = request(
      { host: '127.0.0.1', port, path: c.path, method: c.method, agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}
