/**
 * Accepted rows of one chunk, decoded into parallel arrays (no object per row). Row `i` has the ID
 * `ids[i]` of type `types[i]`, the time `times[i]` (NaN: the job's time), and the signed trait ids
 * `traits[start[i]] .. traits[start[i + 1] - 1]` (positive: add, negative: remove).
 *
 * Example: `{ count: 1, types: ['uid'], ids: ['c-1'], times: [NaN], start: [0, 2], traits: [12, -57] }`
 */
export interface OnboardRows {
  readonly count: number;
  readonly types: readonly string[];
  readonly ids: readonly string[];
  readonly times: Float64Array;
  readonly start: Int32Array;
  readonly traits: Int32Array;
}

/**
 * Collects rows: `begin` a row, `trait` for each of its traits, then `commit` or `rollback`.
 *
 * Example:
 * ```ts
 * const b = new RowsBuilder();
 * b.begin('uid', 'c-1', NaN); b.trait(12); b.commit();
 * encodeRows(b.rows()); // 'uid 3:c-1  12;'
 * ```
 */
export class RowsBuilder {
  private types: string[] = [];
  private ids: string[] = [];
  private times = new Float64Array(1024);
  private start = new Int32Array(1025);
  private traits = new Int32Array(8192);
  private n = 0;
  private t = 0;
  private rowFirst = 0;

  /** Starts a row. */
  begin(type: string, id: string, time: number): void {
    this.rowFirst = this.t;
    if (this.n >= this.times.length) this.times = grow(this.times, this.times.length * 2);
    if (this.n + 1 >= this.start.length) this.start = grow(this.start, this.start.length * 2);
    this.types[this.n] = type;
    this.ids[this.n] = id;
    this.times[this.n] = time;
  }

  /** Adds a signed trait id to the row (the caller keeps a row's traits distinct). */
  trait(signedId: number): void {
    if (this.t === this.traits.length) this.traits = grow(this.traits, this.traits.length * 2);
    this.traits[this.t++] = signedId;
  }

  /** The traits the current row holds so far. */
  traitCount(): number {
    return this.t - this.rowFirst;
  }

  commit(): void {
    this.n++;
    this.start[this.n] = this.t;
  }

  rollback(): void {
    this.t = this.rowFirst;
  }

  count(): number {
    return this.n;
  }

  rows(): OnboardRows {
    this.types.length = this.n;
    this.ids.length = this.n;
    return {
      count: this.n,
      types: this.types,
      ids: this.ids,
      times: this.times.subarray(0, this.n),
      start: this.start.subarray(0, this.n + 1),
      traits: this.traits.subarray(0, this.t),
    };
  }
}

function grow<T extends Float64Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/**
 * The compact text of rows kept in the log, chosen so that JSON needs no escape for it (the log stores
 * records as JSON) and any ID survives: per row `TYPE LEN:ID TIME TRAITS;` with single spaces, LEN the
 * ID's length in UTF-16 code units (so the ID may hold spaces, semicolons, quotes), TIME empty for the
 * job's time, TRAITS signed trait ids joined by commas. Written into one buffer, decoded once.
 *
 * Example: `encodeRows(rows)` -> `'uid 3:c-1  12,-57;maid 3:m-9 1763640000000 3;'`
 */
export function encodeRows(rows: OnboardRows): string {
  let bytes = 0;
  for (let i = 0; i < rows.count; i++)
    bytes += (rows.types[i] as string).length + 3 * (rows.ids[i] as string).length + 32;
  bytes += 12 * rows.traits.length;
  const buf = Buffer.allocUnsafe(bytes);
  let pos = 0;
  let ascii = true;
  for (let i = 0; i < rows.count; i++) {
    const type = rows.types[i] as string;
    for (let k = 0; k < type.length; k++) buf[pos++] = type.charCodeAt(k);
    buf[pos++] = SPACE;
    const id = rows.ids[i] as string;
    pos = writeInt(buf, pos, id.length);
    buf[pos++] = COLON;
    let plain = true;
    for (let k = 0; k < id.length; k++) {
      const c = id.charCodeAt(k);
      if (c >= 128) {
        plain = false;
        break;
      }
      buf[pos + k] = c;
    }
    if (plain) pos += id.length;
    else {
      ascii = false;
      pos += buf.write(id, pos, 'utf8');
    }
    buf[pos++] = SPACE;
    const time = rows.times[i] as number;
    if (!Number.isNaN(time)) pos = writeInt(buf, pos, time);
    buf[pos++] = SPACE;
    const end = rows.start[i + 1] as number;
    for (let k = rows.start[i] as number; k < end; k++) {
      if (k !== rows.start[i]) buf[pos++] = COMMA;
      pos = writeInt(buf, pos, rows.traits[k] as number);
    }
    buf[pos++] = SEMICOLON;
  }
  return buf.toString(ascii ? 'latin1' : 'utf8', 0, pos);
}

const SPACE = 32;
const COLON = 58;
const COMMA = 44;
const SEMICOLON = 59;
const MINUS = 45;

/** Writes a safe integer in decimal; returns the position after it. */
function writeInt(buf: Buffer, pos: number, value: number): number {
  let v = value;
  if (v < 0) {
    buf[pos++] = MINUS;
    v = -v;
  }
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let k = pos + digits - 1; k >= pos; k--) {
    buf[k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + digits;
}

/**
 * Reads the text of `encodeRows` back. Throws on text it did not write (the log's crc guards the bytes).
 * Example: `decodeRows('uid 3:c-1  12;').ids` -> `['c-1']`.
 */
export function decodeRows(text: string): OnboardRows {
  const b = new RowsBuilder();
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const space = text.indexOf(' ', pos);
    const colon = text.indexOf(':', space + 1);
    if (space < 0 || colon < 0) throw new Error(`onboard rows: bad row at ${pos}`);
    const type = text.slice(pos, space);
    const length = Number(text.slice(space + 1, colon));
    const idEnd = colon + 1 + length;
    if (!(idEnd < n) || text.charCodeAt(idEnd) !== SPACE) throw new Error(`onboard rows: bad ID at ${pos}`);
    const id = text.slice(colon + 1, idEnd);
    let k = idEnd + 1;
    let time = NaN;
    if (text.charCodeAt(k) !== SPACE) {
      let t = 0;
      while (k < n && text.charCodeAt(k) !== SPACE) t = t * 10 + (text.charCodeAt(k++) - 48);
      time = t;
    }
    k++;
    b.begin(type, id, time);
    let value = 0;
    let sign = 1;
    let digits = 0;
    for (;;) {
      const ch = k < n ? text.charCodeAt(k) : SEMICOLON;
      k++;
      if (ch === COMMA || ch === SEMICOLON) {
        if (digits > 0) b.trait(sign * value);
        value = 0;
        sign = 1;
        digits = 0;
        if (ch === SEMICOLON) break;
      } else if (ch === MINUS) sign = -1;
      else {
        value = value * 10 + (ch - 48);
        digits++;
      }
    }
    b.commit();
    pos = k;
  }
  return b.rows();
}

/**
 * The rows `keep` keeps, with their traits, and how many it dropped (for a chunk built before a visitor
 * it names was deleted). Example: `filterRows(rows, (type, id) => id !== 'c-1')` -> `{ rows, dropped: 1 }`
 */
export function filterRows(
  rows: OnboardRows,
  keep: (type: string, id: string) => boolean,
): { rows: OnboardRows; dropped: number } {
  let dropped = 0;
  const kept = (i: number): number => {
    if (keep(rows.types[i] as string, rows.ids[i] as string)) return 0;
    dropped++;
    return 1;
  };
  const [held] = splitRows(rows, kept, 2);
  return { rows: dropped === 0 ? rows : (held as OnboardRows), dropped };
}

/**
 * The rows split into `parts` groups, row `i` going to group `partOf(i)` (0 .. parts - 1), each group in
 * the rows' order: a chunk's rows by the partition holding their visitors on a scaled-out deployment.
 * Example: `splitRows(rows, (i) => (i % 2), 2)` -> `[evenRows, oddRows]`
 */
export function splitRows(rows: OnboardRows, partOf: (row: number) => number, parts: number): OnboardRows[] {
  const builders = Array.from({ length: parts }, () => new RowsBuilder());
  for (let i = 0; i < rows.count; i++) {
    const part = partOf(i);
    const b = builders[part];
    if (b === undefined) throw new RangeError(`row ${i}: group ${part} is not in 0..${parts - 1}`);
    b.begin(rows.types[i] as string, rows.ids[i] as string, rows.times[i] ?? NaN);
    for (let k = rows.start[i] ?? 0; k < (rows.start[i + 1] ?? 0); k++) b.trait(rows.traits[k] ?? 0);
    b.commit();
  }
  return builders.map((b) => b.rows());
}
