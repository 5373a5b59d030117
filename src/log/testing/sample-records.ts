import type { LogRecord } from '../event-log.ts';

/**
 * A realistic event record of about 300 bytes of JSON, numbered `n` (its uid is `u<n>`), for tests and
 * benchmarks of the log.
 *
 * Example: `await log.append([sampleRecord(1), sampleRecord(2)]);`
 */
export function sampleRecord(n: number, tenant = 't1'): LogRecord {
  return {
    kind: 'event',
    tenant,
    event: {
      uid: `u${n}`,
      ids: {},
      type: 'pageview',
      ts: 1763632800000 + n,
      url: {
        href: 'https://shop.example.com/pricing',
        host: 'shop.example.com',
        path: '/pricing',
        query: {},
      },
      utm: { source: 'news' },
      signals: {},
      geo: { country: 'GB', city: 'London' },
      device: { type: 'mobile', os: 'iOS', browser: 'Mobile Safari' },
      ip: '81.2.69.0',
    },
  };
}

/**
 * The uid of a record written by `sampleRecord` (or of a deletion), `"(erased)"` for a tombstone, to
 * check what replay gives back.
 *
 * Example: `uidOf(sampleRecord(7)) // "u7"`
 */
export function uidOf(record: LogRecord): string {
  switch (record.kind) {
    case 'event':
      return record.event.uid;
    case 'delete':
    case 'consent':
      return record.uid;
    case 'erased':
      return '(erased)';
    case 'onboard':
      return `(onboard ${record.job} ${record.chunk})`;
    case 'demo':
      return `(demo day ${record.day})`;
    case 'identity':
      return '(identity limits)';
    case 'links':
      return `(links ${record.rows.length} rows)`;
  }
}
