/**
 * A full file of known IDs onto profiles that hold much else (the `onboarding` row's second case runs on
 * a fresh program, where profiles hold only the file's traits): loads the standard data set (about 264
 * realisations a profile, 10 of them the IAB file's), then uploads the data set's third-party file again
 * in full mode `--rounds` times, a different seed each round (so each profile's traits are replaced), and
 * prints each round's rows per CPU-second of this process. At the end every segment's size from the
 * index kept current must equal its size from an index rebuilt from the profiles.
 *
 * Example: `node --import tsx bench/onboard-again.ts --profiles 20000 --rounds 4`
 */
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { thirdPartyCsv } from '../src/demo/third-party-file.ts';
import { IAB_SOURCE } from '../src/demo/third-party-traits.ts';
import { loadBenchTenant } from './bench-tenant.ts';
import { cpuMs } from './measure.ts';
import { sameAnswer } from './bench-result.ts';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '4' },
  },
});
const profiles = Number(values.profiles);
const data = await loadBenchTenant({ profiles, measureIngest: false });
try {
  const { app, tenant } = data;
  const traitCodes = (await app.catalog.listTraits(tenant))
    .filter((t) => t.source === IAB_SOURCE.code)
    .map((t) => t.code);
  for (let round = 1; round <= Number(values.rounds); round++) {
    const body = Readable.from(thirdPartyCsv({ profiles, seed: 100 + round, traitCodes }));
    const t = cpuMs();
    const { done } = await app.onboarding.upload(
      tenant,
      IAB_SOURCE.code,
      body,
      { mode: 'full', format: 'csv', idType: 'uid' },
      'bench',
    );
    const report = await done;
    const ms = cpuMs() - t;
    if (report.status !== 'succeeded') throw new Error(JSON.stringify(report.errors.slice(0, 3)));
    process.stdout.write(
      `round ${round}: ${report.rows.accepted} rows, ${report.realisations} realisations, ${Math.round((report.rows.read * 1000) / ms)} rows per CPU-second\n`,
    );
  }
  const kept = app.segments.sizesOfAll(tenant).sizes;
  app.qualify.audience(tenant).index.rebuild();
  sameAnswer('segment sizes, kept current vs rebuilt', kept, app.segments.sizesOfAll(tenant).sizes);
  process.stdout.write(`${kept.length} segment sizes equal to a rebuilt index's\n`);
} finally {
  await data.close();
  await data.remove();
}
