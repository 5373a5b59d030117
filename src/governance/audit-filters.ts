import type { AuditQuery } from '../catalog/audit-log-store.ts';
import { ServiceError } from '../core/service-error.ts';

/** The query string of `GET /v1/audit` as the route's schema lets it through (numbers already numbers). */
export interface AuditQueryString {
  after?: number;
  before?: number;
  limit?: number;
  order?: string;
  action?: string;
  target?: string;
  object?: string;
  actor?: string;
  from?: string;
  to?: string;
}

/** How many lines a page has when the caller does not say. */
export const DEFAULT_AUDIT_PAGE = 100;

/**
 * Turns `GET /v1/audit`'s query string into the catalog's `AuditQuery`, or a 400 naming the parameter
 * and how to write it. `action` ending in `*` is a prefix (`segment.*`); without it the action is exact,
 * as it always was. `from`/`to` are ISO 8601 dates (`2026-12-07`, midnight UTC) or times with a zone
 * (`2026-12-07T10:00:00Z`, `...+01:00`): `from` inclusive, `to` exclusive. An email is matched in lower case.
 *
 * Example: `auditQueryOf({ order: 'desc', action: 'segment.*', from: '2026-12-07' })` ->
 * `{ limit: 100, order: 'desc', actionPrefix: 'segment.', from: '2026-12-07T00:00:00.000Z' }`.
 */
export function auditQueryOf(q: AuditQueryString): AuditQuery {
  const query: AuditQuery = { limit: q.limit ?? DEFAULT_AUDIT_PAGE };
  if (q.after !== undefined) query.after = q.after;
  if (q.before !== undefined) query.before = q.before;
  if (q.order !== undefined) {
    if (q.order !== 'asc' && q.order !== 'desc')
      throw bad(
        'order',
        `'${q.order}' is not an order: send asc (oldest first, the default) or desc (newest first)`,
      );
    query.order = q.order;
  }
  if (q.action !== undefined) Object.assign(query, actionFilter(q.action));
  if (q.target !== undefined) query.target = text('target', q.target);
  if (q.object !== undefined) query.object = text('object', q.object);
  if (q.actor !== undefined) {
    const actor = text('actor', q.actor);
    query.actor = actor.includes('@') ? actor.toLowerCase() : actor;
  }
  if (q.from !== undefined) query.from = isoTime('from', q.from);
  if (q.to !== undefined) query.to = isoTime('to', q.to);
  if (query.from !== undefined && query.to !== undefined && query.from > query.to)
    throw bad('from', `from (${q.from}) is after to (${q.to}): swap them`);
  return query;
}

/** `segment.create` (exact) or `segment.*` (a prefix); `*` alone filters nothing. */
function actionFilter(value: string): Pick<AuditQuery, 'action' | 'actionPrefix'> {
  const action = text('action', value);
  const star = action.indexOf('*');
  if (star === -1) return { action };
  if (star !== action.length - 1)
    throw bad('action', `'${action}': only a trailing * is allowed, as in segment.* (every segment action)`);
  return action === '*' ? {} : { actionPrefix: action.slice(0, -1) };
}

function text(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw bad(field, 'must not be empty: leave the parameter out to filter nothing');
  return trimmed;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 date or zoned time as the catalog compares times (`toISOString`), or a 400. */
function isoTime(field: string, value: string): string {
  const match = ISO.exec(value.trim());
  const ms = Date.parse(value.trim());
  const [, year, month, day] = match ?? [];
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const realDay =
    match !== null && calendar.getUTCDate() === Number(day) && calendar.getUTCMonth() === Number(month) - 1;
  if (!realDay || !Number.isFinite(ms))
    throw bad(
      field,
      `'${value}' is not an ISO 8601 date or time: send e.g. 2026-12-07 (midnight UTC) or 2026-12-07T10:00:00Z`,
    );
  return new Date(ms).toISOString();
}

function bad(field: string, detail: string): ServiceError {
  const name = `querystring.${field}`;
  return new ServiceError(400, 'invalid_request', `${name}: ${detail}`, { field: name });
}
