/**
 * Our streaming qualification alone, for a CPU profile of it (the bench's `qualify` row interleaves the
 * naive peer, whose closures then fill the profile): loads the data set as `npm run bench` does, then
 * applies the kept events to `--rounds` fresh tenants and prints the events per CPU-second of each round.
 *
 * Example: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/qualify-alone.ts --profiles 20000 --rounds 8`,
 * then `node --import tsx bench/cpu-profile-top.ts /tmp/prof/CPU....cpuprofile 40 applyEvent`.
 */
import { parseArgs } from 'node:util';
import type { LogRecord } from '../src/log/event-log.ts';
import { RoaringAudienceIndex } from '../src/audience/roaring-audience-index.ts';
import { loadBenchTenant } from './bench-tenant.ts';
import { cpuMs } from './measure.ts';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '20000' },
    events: { type: 'string', default: '30000' },
    rounds: { type: 'string', default: '8' },
  },
});
const data = await loadBenchTenant({
  profiles: Number(values.profiles),
  measureIngest: false,
  ingestEvents: 2 * Number(values.events),
  keepEvents: Number(values.events),
});
try {
  const { app, tenant } = data;
  const [traits, segments] = await Promise.all([
    app.catalog.listTraits(tenant),
    app.catalog.listSegments(tenant),
  ]);
  for (let round = 1; round <= Number(values.rounds); round++) {
    const name = `${tenant}-alone-${round}`;
    app.qualify.setRules(name, traits, segments);
    const index = app.qualify.audience(name).index;
    const records: LogRecord[] = data.kept.map((event) => ({ kind: 'event', tenant: name, event }));
    const t = cpuMs();
    for (let i = 0; i < records.length; i++) app.qualify.apply(i + 1, records[i]!);
    if (index instanceof RoaringAudienceIndex) index.settle();
    const ms = cpuMs() - t;
    process.stdout.write(
      `round ${round}: ${Math.round(records.length / (ms / 1000))} events/s (${((ms * 1000) / records.length).toFixed(1)} us an event)\n`,
    );
  }
} finally {
  await data.close();
  await data.remove();
}
