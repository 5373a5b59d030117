import { join } from 'node:path';
import type { Metrics } from '../api/metrics.ts';
import { createMetrics } from '../api/metrics.ts';
import { defaultLimits } from '../collect/index.ts';
import { ApiKeyService } from '../governance/api-key-service.ts';
import { Audit } from '../governance/audit.ts';
import { AuditReader } from '../governance/audit-reader.ts';
import { Dashboard } from '../governance/dashboard.ts';
import { Revision } from '../governance/revision.ts';
import { SiteKeyService } from '../governance/site-key-service.ts';
import { SourceService } from '../governance/source-service.ts';
import { UserService } from '../governance/user-service.ts';
import { IdSyncService } from '../identity/id-sync-service.ts';
import { PartnerCache } from '../identity/partner-cache.ts';
import { PartnerService } from '../identity/partner-service.ts';
import { IdentitySettingsService } from '../identity/identity-settings-service.ts';
import { IdLinksService } from '../identity/id-links-service.ts';
import { MatchRates } from '../identity/match-rate.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { OnboardingService } from '../onboard/onboarding-service.ts';
import { ConsentGate } from '../privacy/consent-gate.ts';
import { PrivacyService } from '../privacy/privacy-service.ts';
import { RecentDeletions } from '../privacy/recent-deletions.ts';
import { ServerSigner, loadServerSecret } from '../privacy/server-signer.ts';
import { VisitorTokens } from '../privacy/visitor-tokens.ts';
import { ProfileService } from '../profiles/profile-service.ts';
import type { ProfileStore } from '../profiles/profile-store.ts';
import type { QualifyService } from '../qualify/qualify-service.ts';
import { SegmentService } from '../segments/segment-service.ts';
import { TraitService } from '../traits/trait-service.ts';
import { TraitPreview } from '../traits/trait-preview.ts';
import type { AppParts } from './app-parts.ts';
import type { Activation } from './build-activation.ts';
import { buildActivation } from './build-activation.ts';
import { reportFailure } from './report-failure.ts';

/** The onboarding chunk a NATS event log takes (its messages hold 1 MiB by default). */
const NATS_CHUNK_BYTES = 512 * 1024;

/**
 * Every service of the program, named as the API server takes them (`ApiServices`): a service added
 * here and there reaches the routes.
 */
export interface Services extends Activation {
  gate: ConsentGate;
  ingest: IngestService;
  traits: TraitService;
  /** trait rules tested against the tenant's recent events in the log */
  traitPreview: TraitPreview;
  segments: SegmentService;
  /** profiles as the API reads them (the store itself is `stores.profiles`) */
  profiles: ProfileService;
  privacy: PrivacyService;
  sources: SourceService;
  /** API key authentication, site keys and the audit log as the API reads them */
  apiKeys: ApiKeyService;
  siteKeys: SiteKeyService;
  auditLog: AuditReader;
  /** the console's dashboard: events per second, profiles, top segments, recent changes */
  dashboard: Dashboard;
  /** console users, their sessions (in memory) and their API keys */
  users: UserService;
  /** ID-sync partners, and the `/cookie_sync` and `/setuid` they are synced through */
  partners: PartnerService;
  idSync: IdSyncService;
  onboarding: OnboardingService;
  /** eids sources, ID lifetimes and caps per tenant (cached; bid enrichment reads the mapping) */
  identitySettings: IdentitySettingsService;
  /** ID-link files: rows of IDs that are one visitor, appended as `links` records */
  idLinks: IdLinksService;
  /** partners' match rates over the tenant's profiles */
  matchRates: MatchRates;
  metrics: Metrics;
  /** signs visitor tokens and the opt-out form's token (DMP_SERVER_SECRET, else a file made once) */
  signer: ServerSigner;
  visitorTokens: VisitorTokens;
}

/**
 * Builds the services over the recovered state, each from its dependencies by name.
 *
 * Example: `const services = await buildServices({ config, clock, logger, stores, state, options });`
 */
export async function buildServices(parts: AppParts): Promise<Services> {
  const { config, clock, logger, stores, state, options } = parts;
  const { catalog, log } = stores;
  const { qualify, optOuts } = state;
  const gate = new ConsentGate(optOuts);
  const ingest = new IngestService(log, qualify, clock, {
    limits: defaultLimits,
    enrich: stores.enrich,
    gate,
    eventIds: state.eventIds,
    maxWaitMs: config.maxWaitMs,
    ...(options.scaleOut === undefined
      ? {}
      : {
          appliedElsewhere: (seq: number) => options.scaleOut?.applied(seq) ?? Promise.resolve(),
          profilesElsewhere: options.scaleOut.front === true,
        }),
  });
  const audit = new Audit(catalog);
  const profiles = new ProfileService(qualify, clock);
  // visitors deleted lately, for the onboarding jobs that read them before the deletion
  const recentDeletions = new RecentDeletions();
  const privacy = new PrivacyService({
    qualify,
    profiles,
    ingest,
    log,
    optOuts,
    gate,
    audit,
    clock,
    hooks: state.snapshots,
    completion: state.deletions,
    recentDeletions,
    ...(options.scaleOut?.optOutElsewhere === undefined
      ? {}
      : { optOutElsewhere: options.scaleOut.optOutElsewhere }),
  });
  const revision = new Revision();
  // /cookie_sync and /setuid read the partners on every request: kept in memory until a partner changes
  const partnerCache = new PartnerCache(catalog);
  const identitySettings = new IdentitySettingsService({
    catalog,
    audit,
    appendLimits: (record) => ingest.append([record]),
    partnerLifetimes: async (tenant) =>
      Object.fromEntries((await partnerCache.listPartners(tenant)).map((p) => [p.code, p.idLifetimeDays])),
  });
  const partners = new PartnerService(catalog, audit, (tenant) => {
    partnerCache.forget(tenant);
    identitySettings.partnersChanged(tenant);
  });
  const onboarding = new OnboardingService(
    {
      catalog,
      qualify,
      onboardJobs: state.onboardJobs,
      append: (records) => ingest.append(records),
      lastSeq: () => log.lastSeq(),
      optOuts,
      audit,
      clock,
      dataDir: config.dataDir,
      onError: reportFailure(logger, 'onboarding job'),
      recentDeletions,
      ...(options.scaleOut?.onboardElsewhere === undefined
        ? {}
        : { elsewhere: options.scaleOut.onboardElsewhere }),
    },
    // a NATS message holds 1 MiB by default: a file's chunks stay well under it
    { ...(config.log.kind === 'nats' ? { chunkBytes: NATS_CHUNK_BYTES } : {}), ...parts.options.onboarding },
  );
  const segments = new SegmentService(catalog, qualify, clock, audit);
  const auditLog = new AuditReader(catalog);
  const dashboard = new Dashboard({
    clock,
    rate: ingest.rate,
    profileCount: (tenant) => qualify.profilesOf(tenant).count(),
    segments,
    audit: auditLog,
  });
  const signer = new ServerSigner(
    await loadServerSecret(join(config.dataDir, 'server-secret'), config.serverSecret),
  );
  return {
    ...(await buildActivation(parts, {
      audit,
      revision,
      gate,
      eidsMapping: (tenant) => identitySettings.eidsMapping(tenant),
      idLifetimes: (tenant) => identitySettings.lifetimes(tenant),
    })),
    gate,
    ingest,
    traits: new TraitService(catalog, qualify, log, clock, audit),
    traitPreview: new TraitPreview(log, qualify, clock),
    segments,
    profiles,
    privacy,
    sources: new SourceService(catalog, audit, revision),
    apiKeys: new ApiKeyService(catalog),
    siteKeys: new SiteKeyService(catalog, audit),
    users: new UserService(catalog, audit),
    auditLog,
    dashboard,
    partners,
    idSync: new IdSyncService({ partners: partnerCache, profiles: qualify, optOuts, ingest, clock }),
    onboarding,
    identitySettings,
    idLinks: new IdLinksService({
      append: (records) => ingest.append(records),
      outcomeOf: (record) => qualify.linksOutcome(record),
      optOuts,
      audit,
      clock,
    }),
    matchRates: new MatchRates({
      partners,
      profilesOf: (tenant) => qualify.profilesOf(tenant),
      clock,
      lifetimes: (tenant) => identitySettings.lifetimes(tenant),
    }),
    metrics: createMetrics(() => profileCount(stores.profiles, qualify)),
    signer,
    visitorTokens: new VisitorTokens(signer, clock),
  };
}

/** Profiles of every tenant, for the `dmp_profiles` gauge. */
function profileCount(profiles: ProfileStore, qualify: QualifyService): number {
  let n = 0;
  for (const tenant of qualify.tenants()) n += profiles.tenant(tenant).count();
  return n;
}
