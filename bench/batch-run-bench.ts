// A batch run of a small segment over a big tenant: how long it takes and how long it holds the event
// loop (what every other request of every tenant waits). Run it on two versions of the program to compare:
//
//   node --import tsx bench/batch-run-bench.ts --profiles 300000 [--days 30]
//
// It loads the standard data set by the bulk path (no third-party traits), maps the smallest non-empty
// generated segment to a file destination, and times `runner.run` with a 5 ms interval timer beside it.
import { parseArgs } from 'node:util';
import { loadBenchTenant } from './bench-tenant.ts';

const { values } = parseArgs({
  options: { profiles: { type: 'string', default: '300000' }, days: { type: 'string', default: '30' } },
});
const loadStart = performance.now();
const t = await loadBenchTenant({
  profiles: Number(values.profiles),
  days: Number(values.days),
  ingestEvents: 0,
  thirdParty: false,
});
const loadMs = performance.now() - loadStart;
const { sizes } = t.app.segments.sizesOfAll(t.tenant);
const small = sizes.filter((s) => s.size > 0).sort((a, b) => a.size - b.size)[0];
if (small === undefined) throw new Error('no segment has members');
await t.app.destinations.save(
  t.tenant,
  {
    kind: 'file',
    code: 'small',
    name: 'small',
    segments: [{ segment: small.code, id: '1' }],
    idType: 'uid',
    consent: { purposes: [] },
    settings: { format: 'csv', mode: 'full', columns: [{ name: 'id', from: 'id' }] },
  },
  'bench',
);

// the event loop's longest stall while the run works: a 5 ms timer that notes how late it fires
let worstLag = 0;
let last = performance.now();
const probe = setInterval(() => {
  const now = performance.now();
  worstLag = Math.max(worstLag, now - last - 5);
  last = now;
}, 5);
const started = performance.now();
const run = await t.app.runner.run(t.tenant, 'small', { mode: 'full' });
const runMs = performance.now() - started;
clearInterval(probe);
const report = run.report as { counts?: Record<string, number> };
console.log(
  JSON.stringify({
    profiles: t.profiles,
    loadS: Math.round(loadMs / 1000),
    segment: small,
    status: run.status,
    runMs: Math.round(runMs),
    worstEventLoopStallMs: Math.round(worstLag),
    counts: report.counts,
  }),
);
await t.close();
await t.remove();
