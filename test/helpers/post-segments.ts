import assert from 'node:assert/strict';
import type { TestApp } from './test-app.ts';

/** A segment to create: its code, name and rule. */
export type SegmentRow = readonly [code: string, name: string, rule: string];

/**
 * Creates each segment through `POST /v1/segments` with `key`, in order; a refusal fails the test with the
 * API's answer.
 *
 * Example: `await postSegments(h, apiKey, [['returning', 'Returning', 'visits >= 2']])`.
 */
export async function postSegments(h: TestApp, key: string, segments: readonly SegmentRow[]): Promise<void> {
  for (const [code, name, rule] of segments) {
    const made = await h.call('POST', '/v1/segments', key, { code, name, rule });
    assert.ok(made.status < 300, JSON.stringify(made.body));
  }
}
