/**
 * The front's forwarding (ADR 0035): a request that reads profiles goes, with the caller's own
 * credentials and raw body, to `/internal/partitions/<n>/<path>` of the worker that owns partition n
 * (the lease table says which), and the answer comes back as the worker gave it. A one-visitor route
 * by uid asks the owner of the uid's partition, as page targeting does for the calling browser's visitor
 * token or cookie; one by another ID asks every partition and takes the answer of the one that holds the
 * visitor; sizes, overlaps, trends and insights ask every partition and
 * add the exact answers up (`merge-answers.ts`); paging through every profile reads the partitions one
 * after another (`profile-pages.ts`). While a partition has no owner (its worker died and the
 * lease has not moved yet) or its owner says it moved, the request waits and asks again, up to
 * `waitMs`; then 503 with `Retry-After`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserVisitor, RequestForwarder } from '../api/request-forwarder.ts';
import { routeKey } from '../api/route-permissions.ts';
import { ServiceError } from '../core/service-error.ts';
import { DASHBOARD_TOP, MAX_DASHBOARD_TOP } from '../governance/dashboard.ts';
import { partitionOfVisitor } from '../log/nats/partition.ts';
import type { LeaseHolder } from './lease-value.ts';
import { mergeAnswers, partitionInsightsQuery } from './merge-answers.ts';
import type { MergeRequest } from './merge-answers.ts';
import { planOf, REFUSED_ROUTES } from './route-plan.ts';
import { decodePageCursor, pageAcross } from './profile-pages.ts';
import type { PartitionPage } from './profile-pages.ts';
import { INTERNAL_TOKEN_HEADER } from './internal-token.ts';
import { callGroup, callPartition, workerRequest } from './worker-client.ts';
import type { WorkerAnswer } from './worker-client.ts';

/** Who owns each partition, as a front reads it (`LeaseTable`). */
export interface OwnerLookup {
  ownerOf(partition: number): LeaseHolder | undefined;
  refresh(): Promise<void>;
}

/**
 * Example:
 * ```ts
 * const forwarder = new Forwarder(await LeaseTable.open({ servers, partitions: 8 }), 8);
 * await createApp(config, clock, { scaleOut: { stores, applied: async () => {}, forwarder } });
 * ```
 */
export class Forwarder implements RequestForwarder {
  private readonly bodies = new WeakMap<FastifyRequest, Buffer>();
  /** trait code -> id per tenant (insights break ties by trait id), set once the front's rules are loaded */
  private traitIds: (tenant: string) => ReadonlyMap<string, number> = () => new Map();

  constructor(
    private readonly owners: OwnerLookup,
    private readonly partitions: number,
    /** the deployment's internal token, shown for an opt-out (`internal-token.ts`) */
    private readonly token: string,
    private readonly waitMs = 15_000,
  ) {}

  /** Where the merge of insights reads the tenant's trait ids (the front's compiled rules). */
  useTraitIds(traitIds: (tenant: string) => ReadonlyMap<string, number>): void {
    this.traitIds = traitIds;
  }

  wantsBody(request: FastifyRequest): boolean {
    if (request.method === 'GET' || request.method === 'HEAD') return false;
    const route = routeKey(request.method, request.routeOptions.url ?? '');
    const plan = planOf(route, request.query as Record<string, unknown>);
    return plan !== 'local' && plan !== 'refuse';
  }

  keepBody(request: FastifyRequest, raw: Buffer): void {
    this.bodies.set(request, raw);
  }

  async forward(request: FastifyRequest, reply: FastifyReply, visitor?: BrowserVisitor): Promise<boolean> {
    const route = routeKey(request.method, request.routeOptions.url ?? '');
    const query = request.query as Record<string, unknown>;
    const plan = planOf(route, query);
    if (plan === 'local') return false;
    if (plan === 'refuse')
      throw new ServiceError(
        501,
        'not_in_scale_out',
        `${REFUSED_ROUTES[route] ?? route} does not run on a scaled-out deployment yet (${route}); ` +
          'run it on an embedded server (dmp serve without --role), see docs/scale-out.md',
      );
    let answer: WorkerAnswer;
    if (plan === 'owner') {
      const uid = (request.params as { uid: string }).uid;
      answer = await this.ask(partitionOfVisitor(request.tenant, uid, this.partitions), request);
    } else if (plan === 'find') {
      answer = holderOf(await this.askEvery(request, request.url));
    } else if (plan === 'browser') {
      const named = await visitor?.(request);
      answer = await this.ask(
        named === undefined ? 0 : partitionOfVisitor(named.tenant, named.uid, this.partitions),
        request,
      );
    } else if (plan === 'page') {
      answer = await this.pageOfProfiles(request);
    } else {
      const { url, merge } = this.gathering(route, request);
      answer = merged(route, await this.askEvery(request, url), merge);
    }
    for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
    await reply.code(answer.status).send(answer.body);
    return true;
  }

  /**
   * The URL every partition is asked, and what the merge needs besides the answers: insights are asked
   * for every trait with no cut (`partitionInsightsQuery`), and the dashboard for every segment's size;
   * both are cut after summing as the caller asked.
   */
  private gathering(route: string, request: FastifyRequest): { url: string; merge: MergeRequest } {
    const query = request.query as Record<string, unknown>;
    if (route === 'GET /v1/dashboard') {
      // every partition lists every segment's size, so the largest over all are exact
      const top = typeof query.top === 'number' ? query.top : DASHBOARD_TOP;
      return {
        url: `/v1/dashboard?top=${MAX_DASHBOARD_TOP}`,
        merge: { top, partitionTop: MAX_DASHBOARD_TOP },
      };
    }
    if (route !== 'GET /v1/segments/:code/insights') return { url: request.url, merge: {} };
    const asked = new URLSearchParams(partitionInsightsQuery(query));
    const path = request.url.split('?')[0] ?? request.url;
    return {
      url: `${path}?${asked.toString()}`,
      merge: {
        ...(typeof query.minCount === 'number' ? { minCount: query.minCount } : {}),
        ...(typeof query.limit === 'number' ? { limit: query.limit } : {}),
        traitIds: this.traitIds(request.tenant),
      },
    };
  }

  /** `GET /v1/profiles` across partitions: the partitions' pages one after another, under one cursor. */
  private async pageOfProfiles(request: FastifyRequest): Promise<WorkerAnswer> {
    const query = request.query as { cursor?: string; limit?: number };
    const from = decodePageCursor(query.cursor, this.partitions);
    let failed: WorkerAnswer | undefined;
    const page = await pageAcross(from, query.limit ?? 100, this.partitions, async (p, cursor, limit) => {
      const asked = new URLSearchParams({
        limit: String(limit),
        ...(cursor === undefined ? {} : { cursor }),
      });
      const answer = await this.ask(p, request, `/v1/profiles?${asked.toString()}`);
      if (answer.status === 200) return JSON.parse(answer.body.toString('utf8')) as PartitionPage;
      failed = answer;
      return undefined;
    });
    if (page === undefined) return failed as WorkerAnswer;
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: Buffer.from(JSON.stringify(page)),
    };
  }

  private everyPartition(): number[] {
    return Array.from({ length: this.partitions }, (_, p) => p);
  }

  /**
   * Every partition's answer to `url`, by partition: one request to each worker for all the partitions
   * it owns (`/internal/group/0.3.5/...`), then partition by partition (waiting for an owner, `ask`)
   * for those without an owner or whose owner no longer serves them.
   */
  private async askEvery(request: FastifyRequest, url: string): Promise<WorkerAnswer[]> {
    const answers: (WorkerAnswer | undefined)[] = new Array<WorkerAnswer | undefined>(this.partitions);
    const groups = new Map<string, { owner: LeaseHolder; partitions: number[] }>();
    for (const p of this.everyPartition()) {
      const owner = this.owners.ownerOf(p);
      if (owner === undefined) continue;
      const group = groups.get(owner.url) ?? { owner, partitions: [] };
      group.partitions.push(p);
      groups.set(owner.url, group);
    }
    await Promise.all(
      [...groups.values()]
        .filter((g) => g.partitions.length > 1)
        .map(async ({ owner, partitions }) => {
          const sent = workerRequest(request, this.bodies.get(request));
          const got = await callGroup(owner, partitions, url, sent, this.waitMs);
          for (const [p, answer] of got) answers[p] = answer;
        }),
    );
    await Promise.all(
      this.everyPartition()
        .filter((p) => answers[p] === undefined)
        .map(async (p) => {
          answers[p] = await this.ask(p, request, url);
        }),
    );
    return answers as WorkerAnswer[];
  }

  /** Asks partition `p`'s owner, waiting (and asking again) while it has none or it moved. */
  private ask(p: number, request: FastifyRequest, url = request.url): Promise<WorkerAnswer> {
    const sent = workerRequest(request, this.bodies.get(request));
    return this.askWith(p, (owner) => callPartition(owner, p, url, sent, this.waitMs));
  }

  /** Calls partition `p`'s owner with `attempt`, waiting (and asking again) while it has none or it moved. */
  private async askWith(
    p: number,
    attempt: (owner: LeaseHolder) => Promise<WorkerAnswer | undefined>,
  ): Promise<WorkerAnswer> {
    const deadline = Date.now() + this.waitMs;
    for (let tries = 0; ; tries++) {
      if (tries > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(500, 50 * tries)));
        await this.owners.refresh().catch(() => undefined);
      }
      const owner = this.owners.ownerOf(p);
      const answer = owner === undefined ? undefined : await attempt(owner);
      if (answer !== undefined) return answer;
      if (Date.now() >= deadline)
        throw new ServiceError(
          503,
          'partition_unavailable',
          `partition ${p} has no worker answering for it now (a worker stopped and another is taking it over); retry shortly`,
          { retryAfterS: 2 },
        );
    }
  }

  /**
   * A POST of `payload` to one of the workers' own routes (`/opt-out`, `/sizes`, `/members`, ...) for
   * partition `p`, shown the internal token; its JSON answer, or a 502 saying the partition could not
   * `what`. `PartitionAsks` is built on it.
   */
  async internal<T>(p: number, path: string, payload: unknown, what: string): Promise<T> {
    const body = Buffer.from(JSON.stringify(payload));
    const headers = { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: this.token };
    const answer = await this.askWith(p, (owner) =>
      callPartition(owner, p, path, { method: 'POST', headers, body }, this.waitMs),
    );
    if (answer.status !== 200)
      throw new ServiceError(
        502,
        'partition_failed',
        `partition ${p} could not ${what}: ${answer.body.toString('utf8')}`,
      );
    return JSON.parse(answer.body.toString('utf8')) as T;
  }
}

/** Of every partition's answer to a one-visitor request, the one from the partition holding the visitor. */
function holderOf(answers: readonly WorkerAnswer[]): WorkerAnswer {
  const found = answers.find(
    (a) => a.status < 300 && !(a.headers['x-dmp-outcome'] ?? '').startsWith('not-found'),
  );
  return found ?? answers.find((a) => a.status !== 404) ?? (answers[0] as WorkerAnswer);
}

/** The partitions' answers added up into the one answer an engine holding every profile would give. */
function merged(route: string, answers: readonly WorkerAnswer[], request: MergeRequest): WorkerAnswer {
  const parsed = answers.map((a) => ({
    status: a.status,
    body: JSON.parse(a.body.toString('utf8')) as unknown,
  }));
  const answer = mergeAnswers(route, parsed, request);
  return {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(answer.body)),
  };
}
