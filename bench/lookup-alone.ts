/**
 * Our side of the HTTP lookup alone, for a CPU profile of it (the `lookup-http` row's server profile is
 * mostly its start, and its requests come through the socket beside a load generator): loads the data
 * set as `npm run bench` does, asks `GET /v1/profiles/:uid/segments` of `--visitors` visitors once (the
 * membership caches filled, as in the bench's checking pass), then `--rounds` rounds of `--requests`
 * through Fastify's `inject` (no socket, no HTTP parser: the route, its hooks and the answer), printing
 * each round's CPU microseconds a request.
 *
 * Example: `node --import tsx bench/lookup-alone.ts --profiles 20000 --cpu-profile /tmp/lookup.cpuprofile`
 * (the profile covers the rounds alone), then `node --import tsx bench/cpu-profile-top.ts /tmp/lookup.cpuprofile 40`.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { loadBenchTenant } from './bench-tenant.ts';
import { sampleUids } from './lookup-bench.ts';
import { cpuMs } from './measure.ts';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '20000' },
    visitors: { type: 'string', default: '5000' },
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    'cpu-profile': { type: 'string' },
  },
});
// no rate limit, as the bench's server (bench/child-server.ts) has none
const data = await loadBenchTenant({
  profiles: Number(values.profiles),
  measureIngest: false,
  env: { DMP_RATE_LIMIT_API: '0' },
});
try {
  const { app, tenant, apiKey } = data;
  const uids = sampleUids(app, tenant, Number(values.visitors));
  const headers = { authorization: `Bearer ${apiKey}` };
  const ask = async (uid: string): Promise<void> => {
    const answer = await app.server.inject({
      method: 'GET',
      url: `/v1/profiles/${encodeURIComponent(uid)}/segments`,
      headers,
    });
    if (answer.statusCode !== 200) throw new Error(`${uid}: ${answer.statusCode} ${answer.body}`);
  };
  for (const uid of uids) await ask(uid);
  const lookupRounds = async (): Promise<void> => {
    for (let round = 1; round <= Number(values.rounds); round++) {
      const n = Number(values.requests);
      const t = cpuMs();
      // 16 at a time, as the bench's load generator keeps 16 connections busy
      for (let i = 0; i < n; i += 16) {
        const batch: Promise<void>[] = [];
        for (let k = i; k < Math.min(n, i + 16); k++) batch.push(ask(uids[k % uids.length]!));
        await Promise.all(batch);
      }
      process.stdout.write(`round ${round}: ${(((cpuMs() - t) * 1000) / n).toFixed(1)} us CPU a request\n`);
    }
  };
  const file = values['cpu-profile'];
  const profiler = file === undefined ? undefined : new Session();
  if (profiler !== undefined) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  await lookupRounds();
  if (profiler !== undefined && file !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
  }
} finally {
  await data.close();
  await data.remove();
}
