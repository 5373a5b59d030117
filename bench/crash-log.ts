/**
 * What a crash leaves behind, for timing the restart after one: opens the program on a data folder that
 * holds a snapshot (`dmp demo --data DIR` made), ingests N pageview events of its existing visitors
 * through the ingestion path (each durable in the log), and exits without a clean stop, as after
 * `kill -9`: no snapshot is written, so the next start restores the snapshot and replays the N records.
 * Periodic snapshots are off for the run. N defaults to 1,000,000, the default
 * `DMP_SNAPSHOT_EVERY_RECORDS`: the most a crash can leave to replay. The folder is changed for good.
 *
 * Example: `node --import tsx bench/crash-log.ts /tmp/dmp10m 1000000 && node --import tsx
 * bench/restart-once.ts /tmp/dmp10m`.
 */
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { sampleUids } from './lookup-bench.ts';

const [dir, events = '1000000', tenantName = 'bench'] = process.argv.slice(2);
const n = Number(events);
if (dir === undefined || !Number.isSafeInteger(n) || n < 1) {
  process.stderr.write('usage: bench/crash-log.ts DATA_DIR [EVENTS] [TENANT]\n');
  process.exit(2);
}
const app = await createApp(loadConfig({ dataDir: dir, logLevel: 'silent', snapshotEveryRecords: 0 }, {}));
const tenant = (await app.catalog.listTenants()).find((t) => t.name === tenantName)?.id;
if (tenant === undefined) throw new Error(`no tenant named ${tenantName} in ${dir}`);
const uids = sampleUids(app, tenant, 200_000);
const paths = ['/pricing', '/sale/shoes', '/women/dresses', '/men/jackets', '/blog/post-1', '/checkout', '/'];
const now = Date.now();
const started = performance.now();
for (let i = 0; i < n; i += 5000) {
  const batch = [];
  for (let j = i; j < Math.min(n, i + 5000); j++)
    batch.push({
      uid: uids[j % uids.length],
      type: 'pageview',
      url: `https://shop.example.com${paths[j % paths.length] ?? '/'}`,
      ts: new Date(now - (n - j)).toISOString(),
    });
  await app.ingest.ingest(tenant, batch, { trusted: true });
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${n} events ingested in ${seconds.toFixed(1)} s; log at ${app.qualify.appliedThrough()}; exiting without a clean stop\n`,
);
process.exit(0);
