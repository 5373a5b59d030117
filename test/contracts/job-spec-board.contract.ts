import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { JobSpec } from '../../src/onboard/job-files.ts';
import type { JobSpecBoard } from '../../src/onboard/onboard-elsewhere.ts';
import { withFixture } from './with-fixture.ts';

/**
 * A board of job specs under test, empty, with `again()` opening a second one on the same storage (as
 * another process would) and `close()` closing both and deleting what they wrote.
 */
export interface JobSpecBoardFixture {
  board: JobSpecBoard;
  again: () => Promise<JobSpecBoard>;
  close: () => Promise<void>;
}

const CREATED = Date.parse('2026-11-20T12:00:00Z');

/** A queued full CSV job of `tenant`, as saved when its upload is durable. */
export function queuedSpec(tenant: string, job = randomUUID()): JobSpec {
  return {
    job,
    tenant,
    source: 'iab-provider',
    mode: 'full',
    format: 'csv',
    idType: 'uid',
    createdAt: CREATED,
    bytes: 1_048_576,
    dataStart: 13,
    header: ['id', 'traits', 'ts'],
    sourceTraits: [12, 13, 57],
    status: 'queued',
  };
}

/** The same job when it has ended: its final report kept (and, in a full job, its header and traits). */
export function finishedSpec(queued: JobSpec): JobSpec {
  return {
    ...queued,
    status: 'succeeded',
    startSeq: 4711,
    finishedAt: CREATED + 61_000,
    final: {
      job: queued.job,
      source: queued.source,
      mode: queued.mode,
      format: queued.format,
      idType: queued.idType,
      status: 'succeeded',
      createdAt: new Date(CREATED).toISOString(),
      finishedAt: new Date(CREATED + 61_000).toISOString(),
      bytes: queued.bytes,
      bytesDone: queued.bytes,
      chunks: 3,
      rows: { read: 51_001, accepted: 51_000, rejected: 1, optedOut: 0 },
      realisations: 140_012,
      errorCounts: { unknown_trait: 1 },
      errors: [
        {
          row: 7,
          column: 'traits',
          reason: 'unknown_trait',
          message: 'a trait is not an onboarded or third-party trait of this data source: "t99"',
          fix: 'create the trait first (POST /v1/onboarding/{source}/traits), or correct the code',
        },
      ],
    },
  };
}

const byJob = (specs: JobSpec[]): JobSpec[] => [...specs].sort((a, b) => a.job.localeCompare(b.job));

/**
 * The `JobSpecBoard` contract (`src/onboard/onboard-elsewhere.ts`): specs by job id (a UUID), saved
 * whole, replaced whole, listed by tenant, and read back the same by another process; an id that names
 * no saved job (or no job at all) reads as nothing, never as an error.
 *
 * Example: `jobSpecBoardContract('data folder', async () => ({ board, again, close }));`
 */
export function jobSpecBoardContract(name: string, open: () => Promise<JobSpecBoardFixture>): void {
  void describe(`JobSpecBoard contract: ${name}`, () => {
    const withBoard = withFixture(open);

    void it(
      'has nothing for a job never saved, nor for an id that is no job id',
      withBoard(async ({ board }) => {
        assert.deepEqual(await board.list(), []);
        assert.deepEqual(await board.list('acme'), []);
        assert.equal(await board.get(randomUUID()), undefined);
        const saved = queuedSpec('acme');
        await board.save(saved);
        // ids that are no UUID, some of them paths or subjects that reach the saved job
        const hostile = ['../x', 'a.b>', '*', '>', '', '..', 'job.json', 'a/b', 'a b', 'x\u0000y'];
        hostile.push(`./${saved.job}`, `${saved.job}/.`, `${saved.job}/`, `${saved.job}.>`);
        for (const id of hostile) assert.equal(await board.get(id), undefined, JSON.stringify(id));
        assert.deepEqual(await board.get(saved.job), saved);
        assert.equal(await board.get(randomUUID()), undefined);
      }),
    );

    void it(
      'gives back the spec saved, and a second save replaces it whole',
      withBoard(async ({ board }) => {
        const queued = queuedSpec('acme');
        await board.save(queued);
        assert.deepEqual(await board.get(queued.job), queued);
        const done = finishedSpec(queued);
        await board.save(done);
        assert.deepEqual(await board.get(queued.job), done);
        // a save with fewer fields leaves none of the earlier ones behind
        const { header: _header, sourceTraits: _traits, final: _final, ...failed } = done;
        failed.status = 'failed';
        failed.failure = 'the upload was lost';
        await board.save(failed);
        assert.deepEqual(await board.get(queued.job), failed);
        assert.deepEqual(await board.list('acme'), [failed]);
      }),
    );

    void it(
      'lists the tenant’s jobs only, and every tenant’s without one',
      withBoard(async ({ board }) => {
        const a1 = queuedSpec('acme');
        const a2 = finishedSpec(queuedSpec('acme'));
        const g1 = { ...queuedSpec('globex'), mode: 'delta' as const, format: 'ndjson' as const };
        delete g1.header;
        delete g1.sourceTraits;
        for (const spec of [a1, a2, g1]) await board.save(spec);
        assert.deepEqual(byJob(await board.list('acme')), byJob([a1, a2]));
        assert.deepEqual(await board.list('globex'), [g1]);
        assert.deepEqual(await board.list('acm'), []);
        assert.deepEqual(byJob(await board.list()), byJob([a1, a2, g1]));
      }),
    );

    void it(
      'shows another process the same jobs, and what it saves',
      withBoard(async ({ board, again }) => {
        const a = queuedSpec('acme');
        const g = queuedSpec('globex');
        await board.save(a);
        await board.save(g);
        const other = await again();
        assert.deepEqual(await other.get(a.job), a);
        assert.deepEqual(await other.list('globex'), [g]);
        assert.deepEqual(byJob(await other.list()), byJob([a, g]));
        const done = finishedSpec(a);
        await other.save(done);
        assert.deepEqual(await board.get(a.job), done);
        const b = queuedSpec('acme');
        await other.save(b);
        assert.deepEqual(byJob(await board.list('acme')), byJob([done, b]));
      }),
    );
  });
}
