import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the partner received. Example: `{ at: 1234.5, headers: {...}, body: { batchId: '…', ... } }` */
export interface PartnerRequest {
  /** `performance.now()` when it arrived */
  at: number;
  headers: IncomingHttpHeaders;
  body: PartnerBatch;
  /** the status it was answered with */
  status: number;
}

/** A batch as posted by the runner. Example: `{ batchId: '…', destination: 'hook', runId: 'r1', added: [], removed: [] }` */
export interface PartnerBatch {
  batchId: string;
  destination: string;
  runId: string;
  added: { id: string; segments: string[] }[];
  removed: string[];
}

/** What the next requests get. Example: `{ status: 429, retryAfter: '1' }` */
export interface PartnerAnswer {
  status: number;
  retryAfter?: string;
}

/**
 * A real HTTP server on 127.0.0.1 playing an audience partner: it records every batch, keeps the first
 * of each `Idempotency-Key` (dropping duplicates, as a partner would), and, on command, answers the
 * next requests with an error (500, 429 with `Retry-After`, 400) or answers slowly.
 *
 * Example:
 * ```ts
 * const partner = await startPartnerServer();
 * partner.answerNext(2, { status: 500 }); // then 200 again
 * ...; await partner.close();
 * ```
 */
export interface PartnerServer {
  url: string;
  requests: PartnerRequest[];
  /** batches accepted, one per Idempotency-Key, in order of first acknowledgement */
  accepted: Map<string, PartnerBatch>;
  /** duplicates dropped (a key already accepted) */
  duplicates: number;
  answerNext(count: number, answer: PartnerAnswer): void;
  /** each answer waits this long (0: none) */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startPartnerServer(): Promise<PartnerServer> {
  const script: PartnerAnswer[] = [];
  let delayMs = 0;
  const state = {
    requests: [] as PartnerRequest[],
    accepted: new Map<string, PartnerBatch>(),
    duplicates: 0,
  };
  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PartnerBatch;
      const answer = script.shift() ?? { status: 200 };
      state.requests.push({ at, headers: req.headers, body, status: answer.status });
      const key = req.headers['idempotency-key'];
      if (answer.status === 200 && typeof key === 'string') {
        if (state.accepted.has(key)) state.duplicates++;
        else state.accepted.set(key, body);
      }
      const send = (): void => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (answer.retryAfter !== undefined) headers['retry-after'] = answer.retryAfter;
        res.writeHead(answer.status, headers).end(JSON.stringify({ ok: answer.status === 200 }));
      };
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/audiences`,
    get requests() {
      return state.requests;
    },
    get accepted() {
      return state.accepted;
    },
    get duplicates() {
      return state.duplicates;
    },
    answerNext(count, answer) {
      for (let i = 0; i < count; i++) script.push(answer);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
