/**
 * How a front calls the workers (ADR 0035): a request for one partition at its owner
 * (`/internal/partitions/<n>/<path>`), or for several partitions one worker owns in one request
 * (`/internal/group/<n.n.n>/<path>`), with the caller's own credentials and raw body; the answers come
 * back with the headers a caller needs. A worker that is gone, or no longer serves a partition, gives no
 * answer for it: the forwarder asks again once the lease table names the next owner.
 */
import type { FastifyRequest } from 'fastify';
import type { LeaseHolder } from './lease-value.ts';

/** One partition's part of a worker's answer to a group request (`/internal/group/...`). */
interface GroupAnswer {
  partition: number;
  notHere?: boolean;
  status?: number;
  headers?: Record<string, string>;
  /** base64 */
  body?: string;
}

/** One worker's answer: status, the headers worth passing on, and the body's bytes. */
export interface WorkerAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** the request headers a worker needs: who calls, and how the body is encoded */
const PASSED_REQUEST_HEADERS = [
  'authorization',
  'cookie',
  'content-type',
  'content-encoding',
  'accept',
  'origin',
  'referer',
  'user-agent',
  'sec-gpc',
];
/** the answer headers a caller needs */
const PASSED_ANSWER_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'vary',
  'cache-control',
  'content-type',
  'content-disposition',
  'retry-after',
  'x-dmp-outcome',
  'x-dmp-skipped',
];

/** What a worker is sent: the method, the headers passed on, the raw body. */
export interface WorkerRequest {
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The caller's request as sent to a worker: its method, the headers a worker needs, its raw body. */
export function workerRequest(request: FastifyRequest, body: Buffer | undefined): WorkerRequest {
  const headers: Record<string, string> = {};
  for (const name of PASSED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return { method: request.method, headers, ...(body === undefined ? {} : { body }) };
}

/** The answer headers a caller needs, of those `get` finds. */
function passedAnswerHeaders(get: (name: string) => string | null | undefined): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of PASSED_ANSWER_HEADERS) {
    const value = get(name);
    if (value !== null && value !== undefined) passed[name] = value;
  }
  return passed;
}

/**
 * `url` (a path and query) of partition `p` at its owner; undefined when the owner cannot answer for `p`
 * (gone, or the lease moved). `timeoutMs`: how long the worker may take.
 *
 * Example: `await callPartition(owner, 3, '/v1/segments/fans/size', { method: 'GET', headers }, 15_000)`.
 */
export async function callPartition(
  owner: LeaseHolder,
  p: number,
  url: string,
  init: WorkerRequest,
  timeoutMs: number,
): Promise<WorkerAnswer | undefined> {
  try {
    const response = await fetch(`${owner.url}/internal/partitions/${p}${url}`, {
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status === 503 && response.headers.get('x-dmp-partition') === 'not-here') return undefined;
    return {
      status: response.status,
      headers: passedAnswerHeaders((n) => response.headers.get(n)),
      body: bytes,
    };
  } catch {
    return undefined;
  }
}

/**
 * `url` of several partitions one worker owns, in one request; the answers of those it served (none when
 * it could not be reached).
 *
 * Example: `await callGroup(owner, [0, 3, 5], '/v1/segments/fans/size', { method: 'GET', headers }, 15_000)`.
 */
export async function callGroup(
  owner: LeaseHolder,
  partitions: readonly number[],
  url: string,
  init: WorkerRequest,
  timeoutMs: number,
): Promise<Map<number, WorkerAnswer>> {
  const got = new Map<number, WorkerAnswer>();
  try {
    const response = await fetch(`${owner.url}/internal/group/${partitions.join('.')}${url}`, {
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) return got;
    const { answers } = (await response.json()) as { answers: GroupAnswer[] };
    for (const a of answers) {
      if (a.notHere === true || a.status === undefined) continue;
      const headers = passedAnswerHeaders((n) => a.headers?.[n]);
      got.set(a.partition, { status: a.status, headers, body: Buffer.from(a.body ?? '', 'base64') });
    }
  } catch {
    // the worker is gone: its partitions are asked one by one, waiting for their next owner
  }
  return got;
}

/**
 * An API server's ask of one partition for its part of a batch run (`POST /internal/partitions/<n>/members`,
 * ADR 0038): the destination's members among the partition's profiles at the run's start.
 *
 * Example: `{ tenant: 'acme', destination: 'crm', now: 1765000000000, segments: ['gifts'] }`
 */
export interface MembersAsk {
  tenant: string;
  destination: string;
  now: number;
  segments?: readonly string[];
}

/**
 * An API server's ask of one partition for its real-time decisions of a campaign, by destination
 * (`POST /internal/partitions/<n>/campaign-counts`, ADR 0038).
 *
 * Example: `{ tenant: 'acme', campaign: 'xmas', destinations: ['ssp', 'gam'] }`
 */
export interface CampaignCountsAsk {
  tenant: string;
  campaign: string;
  destinations: readonly string[];
}

/**
 * An API server's ask of one partition, for a chunk of a file being onboarded: which of these IDs its
 * profiles hold (`POST /internal/partitions/<n>/id-holders`, ADR 0039). The answer is the indexes held.
 *
 * Example: `{ tenant: 'acme', ids: [['maid', '6d92078a-8246-4ba4-ae5b-76104861e7dc'], ['crm', 'C-1']] }` -> `[1]`
 */
export interface IdHoldersAsk {
  tenant: string;
  ids: [string, string][];
}

/**
 * An API server's ask of one partition for its part of an onboarding job's progress
 * (`POST /internal/partitions/<n>/onboard-progress`, ADR 0039): the `JobProgress`, or null.
 *
 * Example: `{ tenant: 'acme', job: '5f0c8a52-...' }`
 */
export interface OnboardProgressAsk {
  tenant: string;
  job: string;
}
