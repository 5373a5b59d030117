import { Type } from 'typebox';

const Cursor = (minimum: number, description: string) =>
  Type.Optional(Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER, description }));

/** The query string of `GET /v1/audit` (checked further by `auditQueryOf`, which names what is wrong). */
export const AuditQueryString = Type.Object({
  after: Cursor(0, 'only lines with a larger id: the `next` of the previous page, oldest first'),
  before: Cursor(1, 'only lines with a smaller id: the `next` of the previous page with order=desc'),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  order: Type.Optional(Type.String({ description: 'asc (default): oldest first; desc: newest first' })),
  action: Type.Optional(
    Type.String({ description: 'exactly this action (segment.create), or a prefix ending in * (segment.*)' }),
  ),
  target: Type.Optional(Type.String({ description: 'exactly this target (segment:buyers)' })),
  object: Type.Optional(Type.String({ description: "the object's code, of any kind (buyers)" })),
  actor: Type.Optional(
    Type.String({ description: "a user's email, an API key's id (key:ID or ID), or a whole actor (cli)" }),
  ),
  from: Type.Optional(
    Type.String({
      description: 'lines at or after this ISO 8601 date or time (2026-12-07, 2026-12-07T10:00:00Z)',
    }),
  ),
  to: Type.Optional(Type.String({ description: 'lines before this ISO 8601 date or time' })),
});

/** One line of the audit log as `GET /v1/audit` answers it. */
export const AuditLine = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: 'user:EMAIL, key:ID, user:EMAIL/key:ID (a user key), or cli' }),
  action: Type.String({ description: 'kind.verb: segment.create, trait.update, privacy.delete, ...' }),
  target: Type.String({ description: 'kind:code of the object changed (segment:buyers)' }),
  before: Type.Optional(Type.Unknown({ description: 'the object before the change' })),
  after: Type.Optional(Type.Unknown({ description: 'the object after the change' })),
});

/** A page of the audit log: its lines, and the cursor of the next page (null: nothing more now). */
export const AuditPage = Type.Object({
  entries: Type.Array(AuditLine),
  next: Type.Union([Type.Integer(), Type.Null()], {
    description: 'pass as after (oldest first) or before (order=desc) for the next page',
  }),
});
