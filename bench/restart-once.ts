/**
 * One restart, timed: opens the program on a data folder (`createApp`: the newest usable snapshot
 * restored, the log after it replayed), prints the time, what it restored and the RSS, and exits without
 * a clean stop (so no snapshot is written and the folder is left as it was). Run it with the
 * environment `npm start` uses (ADR 0020).
 *
 * Example: `GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node --import tsx bench/restart-once.ts /tmp/dmp10m`.
 */
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: bench/restart-once.ts DATA_DIR\n');
  process.exit(2);
}
const started = performance.now();
const app = await createApp(loadConfig({ dataDir: dir, logLevel: 'silent' }, {}));
const ms = performance.now() - started;
const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
process.stdout.write(`restart ${Math.round(ms)} ms, RSS ${rss} MiB, ${JSON.stringify(app.startup)}\n`);
process.exit(0);
