import { checkId as checkTypedId, hasIdRules } from '../identity/id-types.ts';
import { normaliseId } from '../ids/normalise-id.ts';
import type { CodeTable } from './code-table.ts';
import { HASH_START, hashStep } from './code-table.ts';
import type { ChunkStats, OnboardMode } from './onboard-record.ts';
import type { OnboardRows } from './onboard-rows.ts';
import { RowsBuilder } from './onboard-rows.ts';
import type { RowError, RowReason } from './row-error.ts';
import { rowError } from './row-error.ts';

/**
 * What the parsers need to know to accept a row: the mode, the default ID type, the job's time and the
 * allowed range of row times, the source's traits by code (or integration code), and an opt-out test.
 *
 * Example: `{ mode: 'delta', idType: 'uid', now, maxAgeMs: 120 * DAY_MS, maxFutureMs: 300_000,
 *   traits: new CodeTable([['iab_1', 7]]), optedOut: () => false }`
 */
export interface ChunkContext {
  mode: OnboardMode;
  /** the ID type of rows that do not name one */
  idType: string;
  now: number;
  maxAgeMs: number;
  maxFutureMs: number;
  /** the ids of the source's onboarded traits, by code and by integration code */
  traits: CodeTable;
  /** whether the ID opted out (such rows are skipped and counted, not stored) */
  optedOut(idType: string, id: string): boolean;
}

/** How many row errors a job keeps in full (the rest are counted by reason). */
export const MAX_REPORTED_ERRORS = 100;

const ID_TYPE = /^[a-z][a-z0-9_]{0,31}$/;
const SEPARATOR_PIPE = 124;
const SEPARATOR_SEMI = 59;
const SPACE = 32;
const MINUS = 45;
const PLUS = 43;

/**
 * Checks rows one by one (from CSV fields or NDJSON values) and keeps the good ones in a
 * `RowsBuilder`: a row is taken whole or rejected whole, with a `RowError`; a bad row never costs the
 * good rows around it. Trait codes are resolved once per distinct code.
 *
 * Example:
 * ```ts
 * const chunk = new ChunkBuilder(ctx, 100);
 * chunk.csvRow(2, 'uid', 'c-1', 'iab_1|iab_7', '');
 * chunk.rows().count; // 1
 * ```
 */
export class ChunkBuilder {
  readonly stats: ChunkStats = { read: 0, accepted: 0, rejected: 0, optedOut: 0, reasons: {} };
  readonly errors: RowError[] = [];
  private readonly builder = new RowsBuilder();
  private lastType = '';
  /** whether `lastType` has rules of its own (`hasIdRules`): only then is each ID checked by `checkId` */
  private lastTypeRules = false;
  /** per trait id, the row (+1) that last named it, with the sign it had: distinct traits per row in O(1) */
  private readonly seenIn: Int32Array;
  private readonly seenSign: Int8Array;
  private rowStamp = 0;

  /** `errorBudget`: how many more errors the job keeps in full. */
  constructor(
    private readonly ctx: ChunkContext,
    private errorBudget: number,
  ) {
    this.seenIn = new Int32Array(ctx.traits.maxId + 1);
    this.seenSign = new Int8Array(ctx.traits.maxId + 1);
  }

  /**
   * One CSV row: `type` empty for the default, the traits field `text[from, to)` codes separated by
   * `|` or `;` (`-CODE` removes, delta only), `ts` empty for the job's time.
   */
  csvRow(row: number, type: string, id: string, text: string, from: number, to: number, ts: string): void {
    this.stats.read++;
    const idType = type === '' ? this.ctx.idType : type;
    if (!this.checkId(row, idType, id)) return;
    id = normaliseId(idType, id);
    const time = ts === '' ? NaN : parseTime(ts);
    if (!this.checkTime(row, ts, time)) return;
    if (this.ctx.optedOut(idType, id)) {
      this.stats.optedOut++;
      return;
    }
    this.begin(idType, id, time);
    let start = from;
    let hash = HASH_START;
    for (let i = from; i <= to; i++) {
      const ch = i === to ? SEPARATOR_PIPE : text.charCodeAt(i);
      if (ch !== SEPARATOR_PIPE && ch !== SEPARATOR_SEMI) {
        hash = hashStep(hash, ch);
        continue;
      }
      if (i > start) {
        // the common case inline: a known code, no sign, no spaces, first time in the row
        const first = text.charCodeAt(start);
        const id =
          first !== SPACE && first !== MINUS && first !== PLUS && text.charCodeAt(i - 1) !== SPACE
            ? this.ctx.traits.lookupHashed(text, start, i, hash)
            : -1;
        if (id !== -1 && this.seenIn[id] !== this.rowStamp) {
          this.seenIn[id] = this.rowStamp;
          this.seenSign[id] = 1;
          this.builder.trait(id);
        } else if (!this.addTrait(row, text, start, i, hash)) return;
      }
      start = i + 1;
      hash = HASH_START;
    }
    this.accept();
  }

  /** One NDJSON line, already parsed: `{ "idType"?, "id", "traits"?: [...], "ts"? }`. */
  jsonRow(row: number, value: unknown): void {
    this.stats.read++;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.reject(row, '', 'bad_field', 'not an object');
      return;
    }
    const o = value as Record<string, unknown>;
    const type = o.idType ?? this.ctx.idType;
    if (typeof type !== 'string') return this.reject(row, 'idType', 'bad_field', typeof type);
    if (typeof o.id !== 'string') return this.reject(row, 'id', 'bad_field', typeof o.id);
    const traits = o.traits ?? [];
    if (!Array.isArray(traits) || !traits.every((t) => typeof t === 'string'))
      return this.reject(row, 'traits', 'bad_field', 'not an array of strings');
    let tsText = '';
    if (typeof o.ts === 'number') tsText = String(o.ts);
    else if (typeof o.ts === 'string') tsText = o.ts;
    else if (o.ts !== undefined && o.ts !== null) return this.reject(row, 'ts', 'bad_field', typeof o.ts);
    if (!this.checkId(row, type, o.id)) return;
    const id = normaliseId(type, o.id);
    const time = tsText === '' ? NaN : parseTime(tsText);
    if (!this.checkTime(row, tsText, time)) return;
    if (this.ctx.optedOut(type, id)) {
      this.stats.optedOut++;
      return;
    }
    this.begin(type, id, time);
    for (const code of traits) {
      if (code.trim() !== '' && !this.addTrait(row, code, 0, code.length, undefined)) return;
    }
    this.accept();
  }

  /** Counts and rejects a row found bad before its fields could be read (a quote, the field count, bad JSON). */
  rejectRow(row: number, column: string, reason: RowReason, detail?: string): void {
    this.stats.read++;
    this.reject(row, column, reason, detail);
  }

  private reject(row: number, column: string, reason: RowReason, detail?: string): void {
    this.stats.rejected++;
    this.stats.reasons[reason] = (this.stats.reasons[reason] ?? 0) + 1;
    if (this.errorBudget > 0) {
      this.errorBudget--;
      this.errors.push(rowError(row, column, reason, detail));
    }
  }

  rows(): OnboardRows {
    return this.builder.rows();
  }

  private begin(type: string, id: string, time: number): void {
    this.rowStamp++;
    this.builder.begin(type, id, time);
  }

  private accept(): void {
    this.builder.commit();
    this.stats.accepted++;
  }

  private checkId(row: number, type: string, id: string): boolean {
    if (type !== this.lastType) {
      if (type !== 'uid' && !ID_TYPE.test(type)) {
        this.reject(row, 'idType', 'bad_id_type', type);
        return false;
      }
      this.lastType = type;
      this.lastTypeRules = hasIdRules(type);
    }
    if (id === '' || (id.charCodeAt(0) === 32 && id.trim() === '')) {
      this.reject(row, 'id', 'empty_id');
      return false;
    }
    if (id.length > 256 || hasControl(id)) {
      this.reject(row, 'id', 'bad_id', id);
      return false;
    }
    // a clear e-mail in email_sha256 or crm, a MAID that is no UUID: refused, and never echoed
    if (this.lastTypeRules && !checkTypedId(type, id).ok) {
      this.reject(row, 'id', 'id_not_of_type', type);
      return false;
    }
    return true;
  }

  private checkTime(row: number, text: string, time: number): boolean {
    if (text === '') return true;
    if (Number.isNaN(time)) {
      this.reject(row, 'ts', 'bad_ts', text);
      return false;
    }
    if (time > this.ctx.now + this.ctx.maxFutureMs || time <= this.ctx.now - this.ctx.maxAgeMs) {
      this.reject(row, 'ts', 'ts_out_of_range', text);
      return false;
    }
    return true;
  }

  /**
   * Adds the trait named by `text[from, to)` (trimmed; `-` removes, `+` adds); `hash` is its characters'
   * hash when the caller computed it while scanning. False: the row was rejected.
   */
  private addTrait(row: number, text: string, from: number, to: number, hash: number | undefined): boolean {
    let sign = 1;
    const first = text.charCodeAt(from);
    if (first === SPACE || first === MINUS || first === PLUS || text.charCodeAt(to - 1) === SPACE) {
      hash = undefined;
      while (from < to && text.charCodeAt(from) === SPACE) from++;
      while (to > from && text.charCodeAt(to - 1) === SPACE) to--;
      if (from === to) return true;
      const c = text.charCodeAt(from);
      if (c === MINUS || c === PLUS) {
        sign = c === MINUS ? -1 : 1;
        from++;
      }
    }
    if (sign < 0 && this.ctx.mode === 'full')
      return this.rejectBuilt(row, 'removal_in_full', text.slice(from, to));
    const traits = this.ctx.traits;
    const id = hash === undefined ? traits.lookup(text, from, to) : traits.lookupHashed(text, from, to, hash);
    if (id === -1) return this.rejectBuilt(row, 'unknown_trait', text.slice(from, to));
    if (this.seenIn[id] === this.rowStamp) {
      if (this.seenSign[id] !== sign) return this.rejectBuilt(row, 'conflicting_trait', text.slice(from, to));
      return true;
    }
    this.seenIn[id] = this.rowStamp;
    this.seenSign[id] = sign;
    this.builder.trait(sign * id);
    return true;
  }

  private rejectBuilt(row: number, reason: RowReason, code: string): false {
    this.builder.rollback();
    this.reject(row, 'traits', reason, code);
    return false;
  }
}

/** Whether the text holds a control character (U+0000-U+001F, U+007F). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

const DIGITS = /^\d{1,16}$/;

/**
 * A row's time: epoch milliseconds, or an ISO 8601 date-time (with a zone, or read as UTC). NaN when it is
 * neither. Example: `parseTime('2026-11-20T12:00:00Z')` -> `1763640000000`.
 */
export function parseTime(text: string): number {
  if (DIGITS.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return NaN;
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length === 10 ? text : `${text}Z`);
}
