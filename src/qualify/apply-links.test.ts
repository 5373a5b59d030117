import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAudienceIndex } from '../audience/roaring-audience-index.ts';
import type { Segment, Trait } from '../catalog/catalog.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { IdLinksRecord } from '../core/identity/index.ts';
import { parseRule, type Rule } from '../core/rules/index.ts';
import type { LogRecord } from '../log/event-log.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from './testing/test-qualify.ts';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
const TENANT = 't';
const AT = '2026-11-01T00:00:00.000Z';
const M1 = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const M2 = '1e3a44c1-0a9c-4f3e-9d7e-2c0d6f1b9a10';

function rule(text: string): Rule {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.rule;
}

const TRAITS: Trait[] = [
  ['pricing', 'url.path startsWith "/pricing"'],
  ['app', 'event == "app_open"'],
].map(([code, text], i) => {
  const version = { version: 1, rule: text!, ruleJson: rule(text!), fromSeq: 0 };
  return {
    ...{ id: i + 1, code: code!, name: code!, kind: 'rule', rule: text!, ruleJson: version.ruleJson },
    ...{ lifetimeDays: 120, folder: '', source: 'first-party', versions: [version] },
    ...{ createdAt: AT, updatedAt: AT },
  };
});
const SEGMENTS: Segment[] = [
  ['everyone', 'visits >= 1'],
  ['both', 'trait:pricing and trait:app'],
].map(([code, text], i) => ({
  ...{ id: 11 + i, code: code!, name: code!, rule: text!, ruleJson: rule(text!) },
  ...{ createdAt: AT, updatedAt: AT },
}));

function event(e: Partial<CollectedEvent> & { uid: string; ts: number }): LogRecord {
  const path = e.type === 'app_open' ? '/app' : '/pricing';
  const url = { href: `https://shop.example.com${path}`, host: 'shop.example.com', path, query: {} };
  return {
    kind: 'event',
    tenant: TENANT,
    event: { ids: {}, type: 'pageview', url, utm: {}, signals: {}, geo: {}, device: {}, ...e },
  };
}

function links(ts: number, ...rows: [string, string][][]): IdLinksRecord {
  return { kind: 'links', tenant: TENANT, ts, rows };
}

/** A qualify service over a fresh store, fed `records` in order; the audience index kept live. */
function world(records: readonly LogRecord[] = []) {
  const store = createMemoryProfileStore();
  const qualify = testQualify(store);
  const rules = qualify.setRules(TENANT, TRAITS, SEGMENTS);
  qualify.startIndexing();
  let seq = 0;
  const apply = (record: LogRecord): void => qualify.apply(++seq, record);
  for (const record of records) apply(record);
  const profiles = store.tenant(TENANT);
  /** Each segment's members by the live index, checked against an index built afresh from the store. */
  const members = (now: number): Record<string, string[]> => {
    const audience = qualify.audience(TENANT);
    const plans = audience.plansFor(rules);
    const fresh = createAudienceIndex(profiles);
    return Object.fromEntries(
      SEGMENTS.map((s) => {
        const live = [...audience.index.evaluate(plans.get(s.id)!, now)].map((p) => profiles.uidOf(p)).sort();
        const rebuilt = [...fresh.evaluate(fresh.compile(s.ruleJson as Rule, rules), now)]
          .map((p) => profiles.uidOf(p))
          .sort();
        assert.deepEqual(live, rebuilt, `${s.code}: the live index as one built from the store`);
        return [s.code, live];
      }),
    );
  };
  /** The whole ID graph: each profile's primary ID, its IDs with their learnt times, first seen, visits. */
  const graph = () => {
    const out: string[] = [];
    profiles.forEach((p) => {
      const ids = profiles
        .allIds(p)
        .map((id) => `${id.type}=${id.value}@${id.learntAt}`)
        .sort();
      const { firstSeen, visits } = profiles.attributes(p);
      out.push(`${profiles.uidOf(p)} ${firstSeen} ${visits} [${ids.join(' ')}]`);
    });
    return out.sort();
  };
  return { qualify, profiles, apply, members, graph };
}

const laptop = event({ uid: 'c-laptop', ids: { crm: 'C-1' }, ts: T0 });
const phone = event({ uid: 'c-phone', ids: { maid: M1 }, ts: T0 + MIN, type: 'app_open' });

void describe('applying ID-link files', () => {
  void it('merges the profiles a row names: the one seen first survives, segments and sizes count once', () => {
    const w = world([laptop, phone]);
    assert.deepEqual(w.members(T0 + 10 * MIN), { everyone: ['c-laptop', 'c-phone'], both: [] });
    const record = links(T0 + 5 * MIN, [
      ['crm', 'C-1'],
      ['maid', M1],
      ['email_sha256', 'h'],
    ]);
    w.apply(record);
    assert.deepEqual(w.qualify.linksOutcome(record), { linked: 1, merged: 1, unmatched: 0 });
    assert.equal(w.profiles.count(), 1);
    const p = w.profiles.find('uid', 'c-laptop')!;
    for (const [type, id] of [
      ['uid', 'c-phone'],
      ['maid', M1],
      ['crm', 'C-1'],
      ['email_sha256', 'h'],
    ] as const)
      assert.equal(w.profiles.find(type, id), p, `${type} ${id}`);
    assert.deepEqual(w.members(T0 + 10 * MIN), { everyone: ['c-laptop'], both: ['c-laptop'] });
    assert.deepEqual(w.qualify.segmentsOf(TENANT, p, T0 + 10 * MIN).sort(), ['both', 'everyone']);
    // the row's IDs are learnt at the record's time; the others keep theirs
    const learnt = Object.fromEntries(w.profiles.allIds(p).map((id) => [id.value, id.learntAt]));
    assert.deepEqual(learnt, {
      'c-laptop': T0,
      'c-phone': T0 + MIN,
      'C-1': T0 + 5 * MIN,
      [M1]: T0 + 5 * MIN,
      h: T0 + 5 * MIN,
    });
  });

  void it('attaches the row’s free IDs to its one holder, device IDs too', () => {
    const w = world([laptop]);
    const record = links(T0 + 5 * MIN, [
      ['crm', 'C-1'],
      ['maid', M2],
    ]);
    w.apply(record);
    assert.deepEqual(w.qualify.linksOutcome(record), { linked: 1, merged: 0, unmatched: 0 });
    assert.equal(w.profiles.find('maid', M2), w.profiles.find('uid', 'c-laptop'));
    assert.equal(w.profiles.count(), 1);
  });

  void it('makes no profile for a row whose IDs none holds, and counts it unmatched', () => {
    const w = world([laptop]);
    const record = links(
      T0 + 5 * MIN,
      [
        ['crm', 'C-9'],
        ['maid', M2],
      ],
      [
        ['crm', 'C-1'],
        ['email_sha256', 'h'],
      ],
    );
    w.apply(record);
    assert.deepEqual(w.qualify.linksOutcome(record), { linked: 1, merged: 0, unmatched: 1 });
    assert.equal(w.profiles.count(), 1);
    assert.equal(w.profiles.find('crm', 'C-9'), undefined);
    assert.equal(w.profiles.find('maid', M2), undefined);
  });

  void it('links a row whose IDs only a later row of the same file makes held, whatever the rows’ order', () => {
    // found by the property below (seed 1314624211): c-3's row came before the row that gave c-3 a holder
    const w = world([event({ uid: 'c-1', ts: T0 }), event({ uid: 'c-2', ids: { crm: 'C-2' }, ts: T0 })]);
    const record = links(
      T0 + MIN,
      [
        ['uid', 'c-3'],
        ['maid', M1],
      ],
      [
        ['uid', 'c-3'],
        ['crm', 'C-2'],
      ],
      [
        ['uid', 'c-1'],
        ['maid', M1],
      ],
    );
    w.apply(record);
    assert.deepEqual(w.qualify.linksOutcome(record), { linked: 3, merged: 1, unmatched: 0 });
    const p = w.profiles.find('uid', 'c-3');
    assert.notEqual(p, undefined);
    for (const [type, value] of [
      ['maid', M1],
      ['crm', 'C-2'],
      ['uid', 'c-1'],
      ['uid', 'c-2'],
    ] as const)
      assert.equal(w.profiles.find(type, value), p, `${type} ${value} is the one visitor's`);
  });

  void it('caps IDs by the tenant’s limits where the record stands in the log: the oldest out first', () => {
    const caps = { perType: { maid: 1 }, otherwise: 3 };
    const w = world([laptop, { kind: 'identity', tenant: TENANT, caps, perProfile: 64 }]);
    w.apply(
      links(T0 + 2 * MIN, [
        ['crm', 'C-1'],
        ['maid', M1],
      ]),
    );
    w.apply(
      links(T0 + 3 * MIN, [
        ['crm', 'C-1'],
        ['maid', M2],
      ]),
    );
    const p = w.profiles.find('uid', 'c-laptop')!;
    assert.equal(w.profiles.find('maid', M2), p);
    assert.equal(w.profiles.find('maid', M1), undefined, 'the older device ID went at the cap of 1');
  });

  void it('merges three holders of one row into one, counting two merges', () => {
    const w = world([
      laptop,
      phone,
      event({ uid: 'c-tablet', ids: { email_sha256: 'h' }, ts: T0 + 2 * MIN }),
    ]);
    const record = links(T0 + 5 * MIN, [
      ['email_sha256', 'h'],
      ['maid', M1],
      ['crm', 'C-1'],
    ]);
    w.apply(record);
    assert.deepEqual(w.qualify.linksOutcome(record), { linked: 1, merged: 2, unmatched: 0 });
    assert.deepEqual(w.members(T0 + 10 * MIN), { everyone: ['c-laptop'], both: ['c-laptop'] });
  });

  void it('gives the same graph when the log is replayed, however often', () => {
    const log: LogRecord[] = [
      laptop,
      phone,
      event({ uid: 'c-tablet', ids: { email_sha256: 'h' }, ts: T0 + 2 * MIN }),
      links(
        T0 + 3 * MIN,
        [
          ['crm', 'C-1'],
          ['maid', M1],
        ],
        [
          ['email_sha256', 'h'],
          ['crm', 'C-7'],
        ],
        [
          ['crm', 'C-8'],
          ['maid', M2],
        ],
      ),
      event({ uid: 'c-new', ids: { maid: M2 }, ts: T0 + 4 * MIN, type: 'app_open' }),
      links(T0 + 5 * MIN, [
        ['crm', 'C-7'],
        ['maid', M2],
        ['crm_b', 'x'],
      ]),
    ];
    const first = world(log);
    const second = world(log);
    assert.deepEqual(second.graph(), first.graph());
    assert.deepEqual(second.members(T0 + 10 * MIN), first.members(T0 + 10 * MIN));
    assert.equal(first.profiles.count(), 2);
    // the last file sent again changes no link: its rows find their IDs on one profile
    const before = first.graph().map((line) => line.replace(/@\d+/g, ''));
    first.apply(log.at(-1)!);
    assert.deepEqual(
      first.graph().map((line) => line.replace(/@\d+/g, '')),
      before,
    );
  });

  void it('keeps the live index exact and the graph the same on replay over random histories of events and files', () => {
    const id = fc.constantFrom<[string, string]>(
      ['uid', 'c-1'],
      ['uid', 'c-2'],
      ['uid', 'c-3'],
      ['crm', 'C-1'],
      ['crm', 'C-2'],
      ['maid', M1],
      ['maid', M2],
      ['email_sha256', 'h'],
    );
    const anEvent = fc
      .record({
        uid: fc.constantFrom('c-1', 'c-2', 'c-3', 'c-4'),
        crm: fc.constantFrom(undefined, 'C-1', 'C-2'),
        k: fc.integer({ min: 0, max: 30 }),
        type: fc.constantFrom('pageview', 'app_open'),
      })
      .map(({ uid, crm, k, type }) =>
        event({ uid, ids: crm === undefined ? {} : { crm }, ts: T0 + k * MIN, type }),
      );
    const aFile = fc
      .record({
        rows: fc.array(fc.uniqueArray(id, { minLength: 2, maxLength: 3, selector: ([t]) => t }), {
          minLength: 1,
          maxLength: 3,
        }),
        k: fc.integer({ min: 0, max: 30 }),
      })
      .map(({ rows, k }): LogRecord => links(T0 + k * MIN, ...rows));
    fc.assert(
      fc.property(fc.array(fc.oneof(anEvent, aFile), { minLength: 1, maxLength: 20 }), (log) => {
        const first = world();
        for (const record of log) {
          first.apply(record);
          if (record.kind !== 'links') continue;
          // once applied, each row's IDs stand on one profile at most
          for (const row of record.rows) {
            const holders = new Set(row.map(([type, value]) => first.profiles.find(type, value)));
            holders.delete(undefined);
            assert.ok(holders.size <= 1, `the IDs of ${JSON.stringify(row)} stand on one profile`);
          }
        }
        const members = first.members(T0 + 40 * MIN);
        const second = world(log);
        assert.deepEqual(second.graph(), first.graph());
        assert.deepEqual(second.members(T0 + 40 * MIN), members);
      }),
      { numRuns: 150 },
    );
  });
});
