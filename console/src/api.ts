/**
 * The console's API client: every call is same-origin `fetch` with the session cookie (sent by the
 * browser; no script can read it, it is HttpOnly) and, on every state-changing call, the `X-CSRF-Token`
 * the login answered. Errors become `ApiError` carrying the server's problem document, so pages show the
 * server's own message.
 */

/** What `POST /v1/session` and `GET /v1/session` answer. */
export interface Session {
  email: string | null;
  role: string;
  tenant: string;
  mustChangePassword: boolean;
  csrfToken?: string;
}

/** One error of a rule that does not check (`422`): where it is and what is wrong. */
export interface RuleError {
  line?: number;
  column?: number;
  message: string;
  /** the field at fault, when the API names one (a partner's `syncUrl`, ...) */
  field?: string;
}

/** A size as `POST /v1/audience/size` answers it. */
export interface Size {
  size: number;
  exact: boolean;
  asOf: string;
}

/** A saved segment as `GET /v1/segments` lists it. */
export interface Segment {
  code: string;
  name: string;
  rule: string;
}

/** A refused call: the HTTP status and the server's problem document (`code`, `detail`, `errors`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: RuleError[] = [],
  ) {
    super(detail);
  }
}

let csrfToken = '';

/** Keeps the CSRF token of the session (from the login or `GET /v1/session`) for later changes. */
export function useCsrf(token: string | undefined): void {
  csrfToken = token ?? '';
}

/**
 * Calls the API: JSON in and out; a state-changing method carries `X-CSRF-Token`. An answer that is not
 * 2xx throws `ApiError` with the problem's `detail` (or the status text when there is none).
 *
 * Example: `const size = await call<Size>('POST', '/v1/audience/size', { rule });`
 */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && csrfToken !== '') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const problem = (json ?? {}) as { code?: string; detail?: string; errors?: RuleError[] };
    throw new ApiError(
      response.status,
      problem.code ?? 'error',
      problem.detail ?? `${response.status} ${response.statusText}`,
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  }
  return json as T;
}

/**
 * The headers that authorise a state-changing request other than through `call` (an upload): the
 * session's `X-CSRF-Token`, when there is one.
 *
 * Example: `for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);`
 */
export function csrfHeaders(): Record<string, string> {
  return csrfToken === '' ? {} : { 'x-csrf-token': csrfToken };
}

/** The message of anything thrown, for showing under a form. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One segment a destination sends, with the ID the partner knows it by. */
export interface Mapping {
  segment: string;
  id: string;
}

/** A destination as `GET /v1/destinations` answers it (credentials masked as `***`). */
export interface Destination {
  code: string;
  name: string;
  kind: string;
  idType: string;
  segments: Mapping[];
  settings?: Record<string, unknown>;
  [field: string]: unknown;
}

/** One step of a run's delivery funnel: reached, lost on the way (and why), still on its way. */
export interface FunnelStep {
  step: string;
  count: number;
  lost: number;
  pending: number;
  reasons: { reason: string; count: number }[];
}

/** A batch run as `POST /v1/destinations/{code}/runs` and `GET /v1/runs/{id}` answer it. */
export interface Run {
  runId: string;
  destination: string;
  mode: string;
  status: 'running' | 'succeeded' | 'failed' | 'partial' | 'cancelled';
  startedAt: string;
  finishedAt?: string;
  report: { counts?: Record<string, number>; funnel?: { steps: FunnelStep[] }; error?: string };
}

/** The roles with the API's `edit` permission (`src/core/roles.ts`); the API checks it again. */
export const EDITOR_ROLES = new Set(['editor', 'admin']);

/** A trait as `GET /v1/traits` answers it; only `rule` traits have a rule the console may edit. */
export interface Trait {
  code: string;
  name: string;
  kind: 'rule' | 'onboarded' | 'third-party' | 'algorithmic';
  rule: string;
  lifetimeDays: number;
  folder: string;
  source: string;
}

/** One line of the audit log (`GET /v1/audit`): who did what to which object, and when. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
}
