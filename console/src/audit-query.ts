/** The audit page's filter fields as typed: empty means "no filter". Dates are `YYYY-MM-DD` (UTC days). */
export interface AuditFilters {
  user: string;
  action: string;
  object: string;
  from: string;
  to: string;
}

/** No filter at all. */
export const NO_FILTERS: AuditFilters = { user: '', action: '', object: '', from: '', to: '' };

/** The day after a `YYYY-MM-DD` date, so that "To 2026-12-07" keeps the whole of that day (`to` is exclusive). */
function dayAfter(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) ? new Date(ms + 86_400_000).toISOString().slice(0, 10) : date;
}

/**
 * The query string of `GET /v1/audit` for one page, newest first: the filters as the API takes them
 * (a kind alone, `segment`, means every action of that kind: `segment.*`; To includes its day), and the
 * cursor of the page before (`before`), if any.
 *
 * Example: `auditQuery({ ...NO_FILTERS, user: 'mia@acme.com', action: 'segment', to: '2026-12-07' }, 50, 812)` ->
 * `'order=desc&limit=50&actor=mia%40acme.com&action=segment.*&to=2026-12-08&before=812'`.
 */
export function auditQuery(filters: AuditFilters, limit: number, before: number | null): string {
  const params = new URLSearchParams({ order: 'desc', limit: String(limit) });
  const user = filters.user.trim();
  const action = filters.action.trim();
  const object = filters.object.trim();
  if (user !== '') params.set('actor', user);
  if (action !== '')
    params.set('action', action.includes('.') || action.includes('*') ? action : `${action}.*`);
  if (object !== '') params.set('object', object);
  if (filters.from !== '') params.set('from', filters.from);
  if (filters.to !== '') params.set('to', dayAfter(filters.to));
  if (before !== null) params.set('before', String(before));
  return params.toString().replace(/%2A/g, '*');
}
