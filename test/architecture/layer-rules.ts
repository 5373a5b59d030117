/**
 * Which folder of `src/` may import which: the one table of the layering (issue 14, point 3), checked by
 * `layers.test.ts` with `npm test`. The flow is collect -> log -> qualify -> audience/activate, with
 * `core` (pure) and `files` (durable file writes) below everything; `app.ts`, `src/app/` and `cli` (the
 * composition root) build the rest and may import anything.
 * A layer not named in a list may not be imported; imports inside a layer are free; test code
 * (`*.test.ts`, `testing/` folders) is not checked, but production code may not import it.
 *
 * The table has no cycle (checked too), so an import that obeys it cannot close one.
 */
import type { LayerRules } from './dependency-check.ts';

export const layerRules: LayerRules = {
  layers: {
    // the pure center: the event type, clock port, rule language, consent, activation shapes, IDs
    core: {
      mayImport: [],
      why: 'core is pure and below everything: it imports nothing of ours outside core',
    },
    // durable file writing shared by the layers that write files and by the erasers that rewrite them
    files: {
      mayImport: [],
      why: 'files holds the atomic write (temp, fsync, rename, fsync the folder) and lenient folder reads: I/O, so not core, and no type of ours, so below every layer that writes or erases files',
    },
    // ports and adapters at the bottom: each stores one thing and knows only core's types
    config: { mayImport: ['core'], why: 'config only reads the environment into core types' },
    catalog: {
      mayImport: ['core'],
      why: 'the catalog stores tenants, rules and settings; it calls no service',
    },
    log: { mayImport: ['core'], why: 'the event log stores records (core types); it knows no feature' },
    profiles: {
      mayImport: ['core'],
      why: 'the profile store is a port below qualify; its API service reads qualify through a port it owns',
    },
    collect: { mayImport: ['core'], why: 'validation and enrichment of one event are pure over core types' },
    // built on the stores
    audience: {
      mayImport: ['core', 'profiles'],
      why: 'the bitmap audience index is built over the profiles',
    },
    snapshot: {
      mayImport: ['core', 'catalog', 'profiles'],
      why: 'snapshots write the profile store; they read qualification through a port they own',
    },
    governance: {
      mayImport: ['core', 'catalog'],
      why: 'who may act for a tenant (API keys, site keys and their origins), what they did (the audit log) and the data sources: services over the catalog, which the API calls instead of the stores',
    },
    // qualification: log records -> profiles, memberships
    qualify: {
      mayImport: ['core', 'catalog', 'log', 'profiles', 'audience'],
      why: 'qualify applies log records to profiles and keeps the audience index; features above plug in',
    },
    demo: {
      mayImport: ['core', 'catalog', 'collect', 'onboard'],
      why: 'the standard data set is validated as collected events, and its third-party file gets a data source and is onboarded like any upload (through ports the app fills, never the app itself)',
    },
    // features above qualification
    traits: {
      mayImport: ['core', 'catalog', 'governance', 'log', 'qualify'],
      why: 'the trait service checks rules against qualify and backfills from the log',
    },
    segments: {
      mayImport: ['core', 'catalog', 'governance', 'audience', 'qualify'],
      why: 'segment services size and overlap through qualify and the audience index',
    },
    privacy: {
      mayImport: ['core', 'catalog', 'collect', 'files', 'governance', 'log', 'profiles', 'qualify'],
      why: "privacy gates collection and erases a visitor from the log, the profiles and the files; activation's member state it reaches through a port (DeletionCompletion's eraseMemberStates)",
    },
    onboard: {
      mayImport: ['core', 'catalog', 'log', 'profiles', 'audience', 'governance', 'privacy', 'qualify'],
      why: 'file onboarding writes onboard records to the log, skips opted-out IDs, and is applied by qualify through a port',
    },
    ingest: {
      mayImport: ['core', 'collect', 'log', 'privacy', 'profiles', 'qualify', 'snapshot'],
      why: 'the collection pipeline: validate, consent gate, log, qualify',
    },
    identity: {
      mayImport: ['core', 'catalog', 'governance', 'privacy', 'profiles', 'ingest'],
      why: "identity settings, ID-sync partners and match rates: services over the catalog and the profiles, on core/identity's rules",
    },
    activate: {
      mayImport: ['core', 'catalog', 'audience', 'files', 'governance', 'privacy', 'qualify', 'segments'],
      why: 'activation sends memberships under consent, at the end of the flow',
    },
    api: {
      mayImport: [
        'core',
        'config',
        'collect',
        'ingest',
        'privacy',
        'governance',
        'profiles',
        'segments',
        'traits',
        'activate',
        'onboard',
        'identity',
      ],
      why: 'routes call services, not stores (no catalog, log or qualify)',
    },
    // the composition root: creates the adapters and services and wires them
    app: { mayImport: '*', why: 'src/app.ts and src/app/ are the composition root' },
    // scale-out (ADR 35): workers run the engine per partition, fronts forward; they compose the app
    scale: {
      mayImport: '*',
      why: 'scale-out roles are composition roots too: a worker builds one engine (app) per partition, a front builds the app over the shared stores and forwards to the workers',
    },
    cli: {
      mayImport: '*',
      why: 'the command line is a composition root too (dmp serve, tenant create, the demo tenant)',
    },
  },
  // known imports the table forbids, each with the issue point that removes it (delete the entry then);
  // none today: an entry is { from: 'src/x/a.ts', to: 'layer', why: '... (issue N, point M)' }
  allowed: [],
};
