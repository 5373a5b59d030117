/**
 * Which folder of `src/` may import which: the one table of the layering (issue 14, point 3), checked by
 * `layers.test.ts` with `npm test`. The flow is collect -> log -> qualify -> audience/activate, with
 * `core` below everything; `app.ts` and `cli` (the composition root) build the rest and may import anything.
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
    governance: { mayImport: ['core', 'catalog'], why: 'the audit log and data sources live in the catalog' },
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
      mayImport: ['core', 'catalog', 'collect', 'governance', 'log', 'profiles', 'qualify'],
      why: 'privacy gates collection and erases a visitor from the log, the profiles and the files',
    },
    onboard: {
      mayImport: ['core', 'catalog', 'log', 'profiles', 'audience', 'governance', 'privacy', 'qualify'],
      why: 'file onboarding writes onboard records to the log, skips opted-out IDs, and is applied by qualify through a port',
    },
    ingest: {
      mayImport: ['core', 'collect', 'log', 'privacy', 'profiles', 'qualify', 'snapshot'],
      why: 'the collection pipeline: validate, consent gate, log, qualify',
    },
    activate: {
      mayImport: ['core', 'catalog', 'audience', 'governance', 'privacy', 'qualify', 'segments'],
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
      ],
      why: 'routes call services, not stores (no catalog, log or qualify)',
    },
    // the composition root: creates the adapters and services and wires them
    app: { mayImport: '*', why: 'src/app.ts is the composition root' },
    cli: {
      mayImport: '*',
      why: 'the command line is a composition root too (dmp serve, tenant create, the demo tenant)',
    },
  },
  allowed: [
    // known imports the table forbids, each with the issue point that removes it (delete the entry then)
    {
      from: 'src/api/auth.ts',
      to: 'catalog',
      why: 'API keys are looked up in the catalog store directly; a key service (issue 14, point 5) removes it',
    },
    {
      from: 'src/api/routes/collect-routes.ts',
      to: 'catalog',
      why: 'routes call the catalog store directly (issue 14, point 3): per-feature services of point 5 remove it',
    },
    {
      from: 'src/api/routes/governance-routes.ts',
      to: 'catalog',
      why: 'routes call the catalog store directly (issue 14, point 3): per-feature services of point 5 remove it',
    },
    {
      from: 'src/api/routes/run-routes.ts',
      to: 'catalog',
      why: 'routes call the catalog store directly (issue 14, point 3): per-feature services of point 5 remove it',
    },
    {
      from: 'src/api/routes/site-key-routes.ts',
      to: 'catalog',
      why: 'routes call the catalog store directly (issue 14, point 3): per-feature services of point 5 remove it',
    },
    {
      from: 'src/api/server.ts',
      to: 'catalog',
      why: 'the server takes the whole Catalog for its routes (issue 14, points 3 and 5)',
    },
    {
      from: 'src/api/site-cors.ts',
      to: 'catalog',
      why: 'site origins are read from the catalog store (issue 14, points 3 and 5)',
    },
    {
      from: 'src/api/site-key-cache.ts',
      to: 'catalog',
      why: 'site keys are cached from the catalog store (issue 14, points 3 and 5)',
    },
    {
      from: 'src/audience/measure-audience.ts',
      to: 'collect',
      why: 'a measuring program, not the server: a second composition root to move to bench/ (issue 14, point 7)',
    },
    {
      from: 'src/audience/measure-audience.ts',
      to: 'demo',
      why: 'a measuring program, not the server: a second composition root to move to bench/ (issue 14, point 7)',
    },
    {
      from: 'src/privacy/deletion-completion.ts',
      to: 'activate',
      why: 'erasure rewrites activation run state; closes the cycle privacy <-> activate (issue 14, point 4: narrow ports)',
    },
    {
      from: 'src/privacy/erase-export-rows.ts',
      to: 'activate',
      why: 'atomic-file.ts is a shared file helper kept in activate/runs; closes the cycle privacy <-> activate (issue 14, point 4)',
    },
    {
      from: 'src/privacy/erase-onboarding-uploads.ts',
      to: 'activate',
      why: 'atomic-file.ts is a shared file helper kept in activate/runs; closes the cycle privacy <-> activate (issue 14, point 4)',
    },
  ],
};
