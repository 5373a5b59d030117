import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSyncPartner } from '../../src/core/identity/index.ts';
import { fieldErrors } from '../../src/identity/partner-service.ts';
import { jobReport } from '../../src/onboard/job-report.ts';
import type { JobSpec } from '../../src/onboard/job-files.ts';
import type { JobProgress } from '../../src/onboard/onboard-jobs.ts';
import { rowError } from '../../src/core/onboard/row-error.ts';
import type { JobReport } from '../../console/src/onboarding-report.ts';
import { ended, fileType, rowsText } from '../../console/src/onboarding-report.ts';
import { errorsByField, percent } from '../../console/src/partner-data.ts';
import type { DeletionReceipt, VisitorExport } from '../../console/src/privacy-text.ts';
import { exportSummary, receiptText, visitorQuery } from '../../console/src/privacy-text.ts';

test("the onboarding page words a job as the API reports it, and sends a file with the API's content type", () => {
  const spec: JobSpec = {
    job: 'j-1',
    tenant: 'acme',
    source: 'crm',
    mode: 'delta',
    format: 'csv',
    idType: 'uid',
    createdAt: Date.parse('2026-11-20T12:00:00Z'),
    bytes: 1200,
    dataStart: 10,
    status: 'running',
  };
  const progress: JobProgress = {
    tenant: 'acme',
    source: 'crm',
    job: 'j-1',
    done: false,
    rowEnd: 1502,
    chunks: 1,
    end: 600,
    realisations: 4,
    errors: [rowError(5, 'id', 'empty_id')],
    stats: { read: 1500, accepted: 1234, rejected: 1, optedOut: 265, reasons: { empty_id: 1 } },
  };
  // the API's own report type is what the console reads (a compile error here if they drift apart)
  const running: JobReport = jobReport(spec, progress);
  assert.equal(ended(running), false);
  assert.equal(rowsText(running), '1,234 rows applied, 1 refused, 265 skipped as opted out (1,500 read)');
  assert.equal(ended({ ...running, status: 'succeeded' }), true);
  assert.equal(ended({ ...running, status: 'failed' }), true);
  assert.equal(ended({ ...running, status: 'queued' }), false);

  assert.equal(fileType('crm.csv'), 'text/csv');
  assert.equal(fileType('CRM.NDJSON'), 'application/x-ndjson');
  assert.equal(fileType('rows.jsonl'), 'application/x-ndjson');
  assert.equal(fileType('export.txt'), 'text/csv', 'anything else is sent as CSV, for the API to check');
});

test("a refused partner's errors go under the form's fields by the field the API names", () => {
  const check = checkSyncPartner({
    code: 'SSP A!',
    name: 'SSP A',
    syncUrl: 'ftp://ssp-a.example/sync',
    type: 'popup',
    colour: 'blue',
  });
  assert.equal(check.ok, false);
  const errors = check.ok ? [] : fieldErrors(check.errors);
  const { byField, other } = errorsByField(errors);
  for (const field of ['code', 'syncUrl', 'type'])
    assert.deepEqual(
      byField[field],
      errors.filter((e) => e.field === field).map((e) => e.message),
      field,
    );
  assert.equal(byField.name, undefined, 'a good field has no error');
  // an error of a field the form does not show (or of no field) is listed apart, naming its field
  const shown = Object.values(byField).flat().length;
  assert.equal(shown + other.length, errors.length, 'every error is shown once');
  assert.ok(other.length > 0 && other.every((m) => /unknown field/.test(m)), JSON.stringify(other));
  assert.deepEqual(errorsByField([{ message: 'a partner must be a JSON object' }]), {
    byField: {},
    other: ['a partner must be a JSON object'],
  });

  assert.equal(percent(1 / 3), '33.3%');
  assert.equal(percent(0), '0.0%');
  assert.equal(percent(1), '100.0%');
});

test('the privacy page names a visitor by uid in the path or by another ID in the query, and words answers', () => {
  assert.equal(visitorQuery({ idType: 'uid', id: 'c-1' }), '');
  assert.equal(
    visitorQuery({ idType: 'maid', id: 'AB 12&x' }),
    'idType=maid&id=AB+12%26x',
    'the ID is escaped in the query',
  );

  const exported: VisitorExport = {
    exportedAt: '2026-11-20T12:00:00.000Z',
    profile: { uid: 'c-1', ids: { uid: 'c-1', maid: 'm' }, traits: [], segments: ['readers'] },
    realisations: [
      { trait: 'vip', times: ['2026-11-19T12:00:00.000Z', '2026-11-20T12:00:00.000Z'] },
      { trait: 'churn', times: ['2026-11-20T11:00:00.000Z'] },
    ],
    consent: null,
    events: [{}, {}, {}],
    idLinks: [{}],
  };
  assert.equal(
    exportSummary(exported),
    'Visitor c-1: 2 IDs (uid, maid), 3 trait realisations of 2 traits, 1 segment, 3 raw events, 1 ID-link row; consent not recorded.',
  );
  const receipt: DeletionReceipt = {
    requestId: 'r-1',
    uid: 'c-1',
    deleted: true,
    removed: { profile: 1, ids: 2, realisations: 1, segmentMemberships: 0, rawEvents: 3 },
    at: '2026-11-20T12:00:00.000Z',
  };
  assert.equal(
    receiptText(receipt),
    'Deleted visitor c-1: 1 profile, 2 IDs, 1 trait realisation, 0 segment memberships; 3 raw events erased from the log. Request r-1, at 2026-11-20T12:00:00.000Z.',
  );
});
