import { Readable } from 'node:stream';
import { ServiceError } from '../core/service-error.ts';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CollectLimits } from '../collect/index.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { ProfileService } from '../profiles/profile-service.ts';
import type { SegmentService } from '../segments/segment-service.ts';
import type { TraitService } from '../traits/trait-service.ts';
import type { TraitPreview } from '../traits/trait-preview.ts';
import { API_KEY_TTL_MS, bearerToken, requireApiKey } from './auth.ts';
import { guardRoutes, requirePermission } from './route-permissions.ts';
import { requireSession, sessionCookie } from './session-auth.ts';
import { sessionLoginRoute, sessionRoutes } from './routes/session-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import type { UserService } from '../governance/user-service.ts';
import type { Metrics } from './metrics.ts';
import { handleError, problem, sendProblem } from './problem.ts';
import { collectRoutes } from './routes/collect-routes.ts';
import { opsRoutes } from './routes/ops-routes.ts';
import { profileRoutes } from './routes/profile-routes.ts';
import { segmentRoutes } from './routes/segment-routes.ts';
import { traitRoutes } from './routes/trait-routes.ts';
import { taxonomyRoutes } from './routes/taxonomy-routes.ts';
import { privacyRoutes } from './routes/privacy-routes.ts';
import { DEFAULT_OPT_OUTS_PER_MINUTE, publicOptOutRoute } from './routes/public-opt-out-route.ts';
import { browserVisitor, pageTargetingRoute } from './routes/page-targeting-route.ts';
import { visitorTokenRoutes } from './routes/visitor-token-routes.ts';
import { siteKeyRoutes } from './routes/site-key-routes.ts';
import type { ServerSigner } from '../privacy/server-signer.ts';
import type { VisitorTokens } from '../privacy/visitor-tokens.ts';
import { governanceRoutes } from './routes/governance-routes.ts';
import { consentRoutes } from './routes/consent-routes.ts';
import { activationRoutes } from './routes/activation-routes.ts';
import { runRoutes } from './routes/run-routes.ts';
import { campaignRoutes } from './routes/campaign-routes.ts';
import { onboardingRoutes } from './routes/onboarding-routes.ts';
import { identitySettingsRoutes } from './routes/identity-settings-routes.ts';
import { idLinksRoutes } from './routes/id-links-routes.ts';
import { matchRateRoutes } from './routes/match-rate-routes.ts';
import type { MatchRates } from '../identity/match-rate.ts';
import type { IdentitySettingsService } from '../identity/identity-settings-service.ts';
import type { IdLinksService } from '../identity/id-links-service.ts';
import type { OnboardingService } from '../onboard/onboarding-service.ts';
import type { BatchRunner } from '../activate/runs/batch-runner.ts';
import type { CampaignService } from '../activate/campaigns/campaign-service.ts';
import type { CampaignDelivery } from '../activate/campaigns/campaign-delivery.ts';
import type { DestinationService } from '../activate/destination-service.ts';
import type { RealtimeActivation } from '../activate/realtime-activation.ts';
import type { ConsentGate } from '../privacy/consent-gate.ts';
import type { Gvl } from '../core/consent/index.ts';
import { limitRequests } from './rate-limits.ts';
import rateLimit from '@fastify/rate-limit';
import type { PrivacyService } from '../privacy/privacy-service.ts';
import type { SourceService } from '../governance/source-service.ts';
import type { ApiKeyService } from '../governance/api-key-service.ts';
import type { SiteKeyService } from '../governance/site-key-service.ts';
import type { AuditReader } from '../governance/audit-reader.ts';
import type { RunHistory } from '../activate/runs/run-history.ts';
import type { RateLimits } from '../config/config.ts';
import { parseQueryString } from './query-string.ts';
import { SiteKeyCache } from './site-key-cache.ts';
import { pixelFastPath } from './pixel-fast-path.ts';
import type { TrustProxySetting } from '../config/trust-proxy-setting.ts';
import { trustProxy } from './trust-proxy.ts';
import { AuthFailures } from './auth-failures.ts';
import { enrichRoute } from './routes/enrich-route.ts';
import { partnerRoutes } from './routes/partner-routes.ts';
import { idSyncRoutes } from './routes/id-sync-routes.ts';
import type { PartnerService } from '../identity/partner-service.ts';
import type { IdSyncService } from '../identity/id-sync-service.ts';
import { installJsonBodyParser } from './json-body.ts';
import { exactNumbers } from './exact-numbers-hook.ts';
import { tagRoute } from './routes/tag-route.ts';
import { lazyTag } from './tag-bundle.ts';
import { consoleRoutes } from './routes/console-routes.ts';
import { traitPreviewRoute } from './routes/trait-preview-route.ts';
import { lazyConsole } from './console-bundle.ts';
import { dashboardRoute } from './routes/dashboard-route.ts';
import type { Dashboard } from '../governance/dashboard.ts';
import type { BrowserVisitor, RequestForwarder } from './request-forwarder.ts';

export interface ApiServices {
  /** authenticates the management API's keys */
  apiKeys: ApiKeyService;
  /** console users, their sessions and their API keys (issue 17) */
  users: UserService;
  /** site keys and their origins: collection and page targeting look keys up here (cached) */
  siteKeys: SiteKeyService;
  /** reads the audit log (`GET /v1/audit`) */
  auditLog: AuditReader;
  /** the console's dashboard (`GET /v1/dashboard`) */
  dashboard: Dashboard;
  /** the runs and dead letters batch runs left */
  runHistory: RunHistory;
  /** ID-sync partners (`/v1/partners`) */
  partners: PartnerService;
  /** `/cookie_sync` and `/setuid` */
  idSync: IdSyncService;
  signer: ServerSigner;
  visitorTokens: VisitorTokens;
  ingest: IngestService;
  traits: TraitService;
  /** how many recent events a trait rule matches (`POST /v1/traits/preview`) */
  traitPreview: TraitPreview;
  segments: SegmentService;
  profiles: ProfileService;
  privacy: PrivacyService;
  sources: SourceService;
  gate: ConsentGate;
  gvl: Gvl;
  destinations: DestinationService;
  realtime: RealtimeActivation;
  runner: BatchRunner;
  campaigns: CampaignService;
  campaignDelivery: CampaignDelivery;
  onboarding: OnboardingService;
  /** the tenant's eids sources, ID lifetimes and caps (`/v1/identity/settings`) */
  identitySettings: IdentitySettingsService;
  /** ID-link files (`POST /v1/identity/links`) */
  idLinks: IdLinksService;
  /** partners' match rates (`/v1/partners/{code}/match-rate`) */
  matchRates: MatchRates;
  metrics: Metrics;
  limits: CollectLimits;
  rateLimits: RateLimits;
  ready: () => boolean;
  /** proxies whose X-Forwarded-For / -Proto count (false: none) */
  trustProxy: TrustProxySetting;
  /** the bearer token of `/metrics`; undefined: `/metrics` is off */
  metricsToken: string | undefined;
  /** a front of a scaled-out deployment: the routes that read profiles go to the workers (ADR 0035) */
  forwarder?: RequestForwarder;
}

/**
 * The HTTP server: collection, the management API, OpenAPI at `/openapi.json` and `/docs`, health and
 * metrics. Every `/v1` route but collection needs the tenant's API key and sees only that tenant.
 * Requests are logged through `logger`, the program's own (`createLogger`, made first by the app).
 */
export async function buildServer(
  services: ApiServices,
  logger: FastifyBaseLogger,
): Promise<FastifyInstance> {
  const trust = trustProxy(services.trustProxy);
  // wrong API keys and metrics tokens, counted per client address (as `trust` finds it)
  const failures = new AuthFailures(services.rateLimits.authFailuresPerIp ?? 20);
  let fast: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: services.trustProxy === false ? false : trust,
    routerOptions: { querystringParser: (query) => (query.length === 0 ? {} : parseQueryString(query)) },
    serverFactory: (handler, options) =>
      httpServer((req, res) => {
        if (fast === undefined || !fast(req, res)) handler(req, res);
      }, options),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installJsonBodyParser(app);
  app.addHook('preValidation', exactNumbers);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'opendmp',
        version: '0.1.0',
        description:
          'An open-source Data Management Platform. Management routes take `Authorization: Bearer API_KEY`.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('tenant', '');
  app.decorateRequest('actor', '');
  app.decorateRequest('role', 'viewer');
  app.decorateRequest('user', '');
  app.decorateRequest('sessionToken', '');
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}; see /docs`),
    ),
  );
  app.addHook('onResponse', async (request, reply) => {
    services.metrics.requestSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  const forwarder = services.forwarder;
  if (forwarder !== undefined) keepBodiesFor(app, forwarder);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(tagRoute(lazyTag()));
  await app.register(consoleRoutes(lazyConsole()));
  await app.register(opsRoutes(services.metrics, services.ready, { token: services.metricsToken, failures }));
  await app.register(rateLimit, { global: false });
  const sites = new SiteKeyCache(services.siteKeys);
  await app.register(async (collect) => {
    await limitRequests(collect, services.rateLimits.collectPerIp, (request) => request.ip);
    // a scaled-out front asks the workers for the calling browser's targeting (the only collect route that reads profiles)
    if (forwarder !== undefined)
      collect.addHook('preHandler', async (request, reply) => {
        const visitor: BrowserVisitor = (r) => browserVisitor(r as never, sites, services.visitorTokens);
        if (await forwarder.forward(request, reply, visitor)) return reply;
      });
    await collect.register(
      collectRoutes(services.apiKeys, sites, services.ingest, services.limits, services.metrics),
    );
    const perMinute = services.rateLimits.optOutPerIp ?? DEFAULT_OPT_OUTS_PER_MINUTE;
    const { privacy, signer } = services;
    await collect.register(publicOptOutRoute({ sites, privacy, signer, perMinute }));
    await collect.register(pageTargetingRoute(sites, services.realtime, services.visitorTokens));
    await collect.register(idSyncRoutes(sites, services.idSync));
  });
  await app.register(sessionLoginRoute(services.users));
  await app.register(async (api) => {
    // a session cookie authenticates only a request without a bearer key; then every route's permission
    const byKey = requireApiKey(services.apiKeys, Date.now, API_KEY_TTL_MS, failures);
    const bySession = requireSession(services.users);
    api.addHook('preHandler', async (request, reply) => {
      if (bearerToken(request) === undefined && sessionCookie(request) !== undefined)
        await bySession(request, reply);
      else await byKey(request, reply);
      requirePermission(request);
      if (forwarder !== undefined && (await forwarder.forward(request, reply))) return reply;
    });
    guardRoutes(api);
    await limitRequests(
      api,
      services.rateLimits.apiPerKey,
      (request) => request.actor || request.ip,
      'preHandler',
    );
    await api.register(sessionRoutes(services.users));
    await api.register(userRoutes(services.users));
    await api.register(traitRoutes(services.traits));
    await api.register(traitPreviewRoute(services.traitPreview));
    await api.register(taxonomyRoutes(services.traits));
    await api.register(segmentRoutes(services.segments));
    await api.register(profileRoutes(services.profiles));
    await api.register(privacyRoutes(services.privacy));
    await api.register(visitorTokenRoutes(services.visitorTokens));
    await api.register(siteKeyRoutes(services.siteKeys));
    await api.register(governanceRoutes(services.sources, services.auditLog));
    await api.register(partnerRoutes(services.partners));
    await api.register(consentRoutes(services.gate, services.gvl));
    await api.register(activationRoutes(services.destinations));
    await api.register(
      enrichRoute(services.realtime, services.metrics, app.initialConfig.bodyLimit ?? 1_048_576),
    );
    await api.register(runRoutes(services.runner, services.runHistory));
    await api.register(campaignRoutes(services.campaigns, services.campaignDelivery));
    await api.register(onboardingRoutes(services.onboarding));
    await api.register(identitySettingsRoutes(services.identitySettings));
    await api.register(idLinksRoutes(services.idLinks));
    await api.register(matchRateRoutes(services.matchRates));
    await api.register(dashboardRoute(services.dashboard));
  });
  // the pixel's fast path keeps neither request logs nor the collection rate limit: off when either is on
  if (!['trace', 'debug', 'info'].includes(logger.level) && services.rateLimits.collectPerIp <= 0) {
    const { ingest, metrics } = services;
    const serve = pixelFastPath({ ingest, metrics, sites, log: app.log, trust });
    fast = serve;
    // while closing, Fastify answers 503 itself
    app.addHook('preClose', async () => {
      fast = undefined;
    });
  }
  return app;
}

/** The HTTP server Fastify would make (same timeouts), with `listener` in front of Fastify's handler. */
function httpServer(listener: RequestListener, options: FastifyServerOptions) {
  const server = createServer(listener);
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0)
    server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}

/** Keeps the raw body of each request the forwarder will send on, and parses it from that copy. */
function keepBodiesFor(app: FastifyInstance, forwarder: RequestForwarder): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!forwarder.wantsBody(request)) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = app.initialConfig.bodyLimit ?? 1_048_576;
    for await (const chunk of payload as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit)
        throw new ServiceError(
          413,
          'body_too_large',
          `the body is over ${limit} bytes; send less per request`,
        );
      chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks);
    forwarder.keepBody(request, raw);
    return Readable.from([raw]);
  });
}
