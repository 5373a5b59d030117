import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { parseEventBody } from './parse-event-body.ts';
import { pixelToRawEvent } from './pixel-to-raw-event.ts';
import { createUserAgentParser } from './user-agent-parser.ts';
import { validateBatch } from './validate-batch.ts';
import type { ValidateContext } from './validate-context.ts';
import { EVENT_FIELDS, validateEvent } from './validate-event.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ctx = (trusted: boolean, ip?: string, ua?: string): ValidateContext => ({
  now: NOW,
  maxAgeMs: 120 * 86_400_000,
  maxFutureMs: 300_000,
  limits: defaultLimits,
  trusted,
  ip,
  ua,
  gpc: trusted,
  enrich: createEnricher({ userAgent: createUserAgentParser(1000) }),
});

function assertOutcome(result: ReturnType<typeof validateEvent>, index: number): void {
  if (result.ok) {
    assert.ok(result.event.uid.length > 0);
    assert.ok(Number.isFinite(result.event.ts));
  } else {
    assert.equal(result.rejection.index, index);
    assert.ok(result.rejection.error.length > 0);
  }
}

// Events made of the real field names with arbitrary JSON values, so the deep paths are reached.
const nearEvent = fc.dictionary(
  fc.constantFrom(...EVENT_FIELDS, 'site', 'usr'),
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.double(),
    fc.constantFrom(
      '81.2.69.160',
      '::ffff:1.2.3.4',
      'https://a.example/?utm_source=x',
      '2026-11-20T11:00:00Z',
    ),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
  ),
);

void test('validateEvent never throws and always gives an event or a rejection with a message', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.jsonValue(), nearEvent, fc.anything()),
      fc.nat(10_000),
      fc.boolean(),
      fc.option(fc.string()),
      fc.option(fc.string()),
      (raw, index, trusted, ip, ua) => {
        assertOutcome(validateEvent(raw, index, ctx(trusted, ip ?? undefined, ua ?? undefined)), index);
      },
    ),
    { numRuns: 3000 },
  );
});

void test('parseEventBody never throws; what it parses validates to events or rejections with messages', () => {
  const bodies = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.array(nearEvent, { maxLength: 5 }).map((events) => JSON.stringify(events)),
    fc
      .array(
        fc.oneof(
          nearEvent.map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        { maxLength: 6 },
      )
      .map((l) => l.join('\n')),
  );
  fc.assert(
    fc.property(
      bodies,
      fc.constantFrom(undefined, 'application/json', 'application/x-ndjson'),
      (body, type) => {
        const parsed = parseEventBody(body, type, defaultLimits);
        if ('error' in parsed) {
          assert.ok(parsed.error.length > 0);
          return;
        }
        assert.equal(parsed.items.length, parsed.indexes.length);
        const { events, rejected } = validateBatch(parsed, ctx(false, '81.2.69.160'));
        assert.equal(events.length + rejected.length, parsed.items.length + parsed.rejected.length);
        for (const rejection of rejected) assert.ok(rejection.error.length > 0);
      },
    ),
    { numRuns: 2000 },
  );
});

void test('pixelToRawEvent never throws on any query and its output validates', () => {
  const query = fc.dictionary(
    fc.oneof(
      fc.constantFrom('e', 'url', 'ref', 'uid', 'ts', 'gdpr', 'gpp_sid', 's.a', 's.__proto__'),
      fc.string(),
    ),
    fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
  );
  fc.assert(
    fc.property(query, fc.option(fc.string()), (q, referer) => {
      assertOutcome(validateEvent(pixelToRawEvent(q, referer ?? undefined), 0, ctx(false)), 0);
    }),
    { numRuns: 2000 },
  );
});
