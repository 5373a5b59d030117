/**
 * Why a row of an onboarding file was rejected: a stable code, what is wrong and how to fix it.
 * Example: `ROW_REASONS.unknown_trait.fix` -> `'create the trait first (POST /v1/onboarding/{source}/traits) ...'`.
 */
export const ROW_REASONS = {
  field_count: {
    message: 'the row does not have one field per header column',
    fix: 'give every row as many comma-separated fields as the header; quote a field that holds a comma ("a,b")',
  },
  bad_quote: {
    message: 'a quote is misplaced or never closed',
    fix: 'quote a whole field ("..."), double a quote inside it (""), and close every quote',
  },
  empty_id: { message: 'the ID is empty', fix: 'give every row an ID, or remove the row' },
  bad_id: {
    message: 'the ID is longer than 256 characters or holds a control character (tab, newline, ...)',
    fix: 'send the ID as it is used in events: at most 256 characters, no control characters',
  },
  id_not_of_type: {
    message: 'the ID does not follow the rules of its type (the value is not repeated here)',
    fix: 'a maid is a device advertising ID (a UUID: IDFA or GAID); email_sha256 and phone_sha256 are the SHA-256 hex of the trimmed, lower-cased address or the E.164 number, never the clear value; a crm ID is your customer number, not an e-mail address',
  },
  bad_id_type: {
    message: 'the ID type is not valid',
    fix: 'use uid, or a lower-case name of at most 32 of a-z, 0-9 and _, starting with a letter (maid, idfa, ...)',
  },
  unknown_trait: {
    message: 'a trait is not an onboarded or third-party trait of this data source',
    fix: "create the trait first (POST /v1/onboarding/{source}/traits), or correct the code; the row's other traits were not applied either",
  },
  conflicting_trait: {
    message: 'the row both adds and removes the same trait',
    fix: 'name each trait once per row: CODE to add it, -CODE to remove it',
  },
  removal_in_full: {
    message: 'a full file cannot remove a trait with -CODE',
    fix: 'in mode=full leave the trait out of the row (the file is the whole truth for the source), or upload with mode=delta',
  },
  bad_ts: {
    message: 'the time is not epoch milliseconds or an ISO 8601 date-time',
    fix: 'give ts as epoch milliseconds (1763640000000) or ISO 8601 (2026-11-20T12:00:00Z), or leave it empty for the upload time',
  },
  ts_out_of_range: {
    message: 'the time is in the future or older than the longest trait lifetime',
    fix: 'give a time in the past, within the lifetime of the traits (older realisations would be forgotten at once)',
  },
  bad_json: { message: 'the line is not valid JSON', fix: 'write one JSON object per line (NDJSON)' },
  bad_field: {
    message: 'a field has the wrong type',
    fix: 'id and idType are strings, traits an array of strings, ts a number (epoch ms) or an ISO 8601 string',
  },
} as const;

/** The code of a row error. Example: `const r: RowReason = 'bad_quote';` */
export type RowReason = keyof typeof ROW_REASONS;

/**
 * One rejected row: its number (the header of a CSV file is row 1), the column at fault, the reason
 * and the detail of this row, and how to fix it.
 *
 * Example: `{ row: 7, column: 'traits', reason: 'unknown_trait', message: "...: 'iab_99999'", fix: '...' }`
 */
export interface RowError {
  row: number;
  column: string;
  reason: RowReason;
  message: string;
  fix: string;
}

/**
 * Builds a row error; `detail` (the offending value, clipped to 64 characters) is added to the message.
 * Example: `rowError(3, 'id', 'empty_id')` -> `{ row: 3, column: 'id', reason: 'empty_id', message: 'the ID is empty', fix }`.
 */
export function rowError(row: number, column: string, reason: RowReason, detail?: string): RowError {
  const known = ROW_REASONS[reason];
  const message = detail === undefined ? known.message : `${known.message}: ${JSON.stringify(clip(detail))}`;
  return { row, column, reason, message, fix: known.fix };
}

function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}
