import { parseArgs } from 'node:util';

/** Every path `npm run bench` knows, by the name `--only` takes. */
export const BENCH_NAMES = [
  'pixel',
  'ingest',
  'qualify',
  'lookup',
  'enrich',
  'lookup-http',
  'size',
  'overlap',
  'resegment',
  'memory',
  'restart',
  'onboarding',
  'identity',
  'scale-out',
] as const;

export type BenchName = (typeof BENCH_NAMES)[number];

/** The sizes of one run. Example: `parseBenchOptions(['--quick']).profiles` -> `2000`. */
export interface BenchOptions {
  quick: boolean;
  profiles: number;
  only: ReadonlySet<BenchName>;
  /** enriched events kept for the qualification bench */
  qualifyEvents: number;
  rounds: number;
  lookupVisitors: number;
  lookups: number;
  sizeRules: number;
  pixelRequests: number;
  httpRequests: number;
  concurrency: number;
  /** how many times the restart bench starts the server */
  restarts: number;
  /** rows of the generated third-party file the onboarding bench loads */
  onboardingRows: number;
  /** events of the data set sent through the ingestion pipeline (measured); the rest take the bulk path */
  ingestEvents: number;
  /**
   * the identity benches (issue 15): profiles of the resolve bench and the largest of the memory sweep
   * (`memorySteps` sizes from half of it), in-process lookups, events of the ingestion comparison
   */
  identity: { profiles: number; lookups: number; events: number; memorySteps: number };
  /**
   * the scale-out engines (issue 18): log records appended and replayed, catalog writes and reads; and the
   * deployment's capacity: visitors whose events are sent, concurrent senders, lookups asked of each side,
   * the worker's lease (longer than twice the sending, during which the worker is paused)
   */
  scaleOut: {
    records: number;
    writes: number;
    reads: number;
    deployment: { visitors: number; senders: number; lookups: number; leaseTtlMs: number };
  };
}

/**
 * Reads `--quick`, `--profiles N` and `--only NAME[,NAME]` (repeatable). Returns an error text for bad input.
 * Example: `parseBenchOptions(['--only', 'size,overlap', '--profiles', '50000'])`.
 */
export function parseBenchOptions(argv: string[]): BenchOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        profiles: { type: 'string' },
        'ingest-events': { type: 'string' },
        only: { type: 'string', multiple: true },
      },
    }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const quick = values.quick === true;
  const profiles = values.profiles === undefined ? (quick ? 2_000 : 50_000) : Number(values.profiles);
  if (!Number.isInteger(profiles) || profiles < 1)
    return `--profiles ${values.profiles ?? ''} is not a whole number`;
  const ingestEvents = values['ingest-events'] === undefined ? 250_000 : Number(values['ingest-events']);
  if (!Number.isInteger(ingestEvents) || ingestEvents < 0)
    return `--ingest-events ${values['ingest-events'] ?? ''} is not a whole number`;
  const names = (values.only ?? []).flatMap((o) => o.split(',')).filter((o) => o !== '');
  const unknown = names.filter((n) => !(BENCH_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) return `unknown bench ${unknown.join(', ')}; one of: ${BENCH_NAMES.join(', ')}`;
  return {
    quick,
    profiles,
    only: new Set((names.length > 0 ? names : BENCH_NAMES) as BenchName[]),
    qualifyEvents: quick ? 5_000 : 30_000,
    rounds: 3,
    lookupVisitors: quick ? 500 : 5_000,
    lookups: quick ? 5_000 : 20_000,
    sizeRules: quick ? 10 : 20,
    pixelRequests: quick ? 1_500 : 20_000,
    httpRequests: quick ? 1_500 : 20_000,
    concurrency: 16,
    restarts: 1,
    onboardingRows: Math.max(profiles, quick ? 20_000 : 200_000),
    ingestEvents,
    identity: quick
      ? { profiles: 20_000, lookups: 20_000, events: 20_000, memorySteps: 2 }
      : { profiles: 1_000_000, lookups: 200_000, events: 100_000, memorySteps: 4 },
    scaleOut: quick
      ? {
          records: 5_000,
          writes: 100,
          reads: 500,
          deployment: { visitors: 2_000, senders: 4, lookups: 300, leaseTtlMs: 12_000 },
        }
      : {
          records: 100_000,
          writes: 1_000,
          reads: 10_000,
          deployment: { visitors: 50_000, senders: 4, lookups: 4_000, leaseTtlMs: 120_000 },
        },
  };
}

export const USAGE = `usage: npm run bench -- [--quick] [--profiles N] [--ingest-events N] [--only NAME[,NAME...]]
  --quick        small sizes (2,000 profiles), the whole run in well under a minute
  --profiles N   profiles in the standard data set (default 50,000)
  --ingest-events N
                 events sent through the ingestion pipeline and measured (whole days, default 250,000);
                 the other days take the bulk path of \`dmp demo\` (ADR 0016)
  --only NAME    run only these paths: ${BENCH_NAMES.join(', ')}
`;
