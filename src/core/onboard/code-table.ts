/**
 * Trait codes (and integration codes) to trait ids, looked up by a slice of a larger text without
 * cutting it out: an open-addressing table over the codes' characters, so a row's ten codes cost no
 * allocation and no string hashing. Built once per job.
 *
 * Example:
 * ```ts
 * const table = new CodeTable([['iab_48', 1203], ['48', 1203]]);
 * table.lookup('c-1,iab_48|iab_7', 4, 10); // 1203
 * table.get('iab_7'); // -1: unknown
 * ```
 */
export class CodeTable {
  private readonly codes: string[];
  private readonly ids: Int32Array;
  private readonly mask: number;
  /** the largest id in the table (0 when empty) */
  readonly maxId: number;

  constructor(entries: Iterable<readonly [string, number]>) {
    const list = [...entries];
    let size = 16;
    while (size < list.length * 2) size *= 2;
    this.mask = size - 1;
    this.codes = new Array<string>(size).fill('');
    this.ids = new Int32Array(size).fill(-1);
    this.maxId = list.reduce((max, [, id]) => Math.max(max, id), 0);
    for (const [code, id] of list) {
      let slot = hashEnd(hashOf(code, 0, code.length)) & this.mask;
      while (this.ids[slot] !== -1 && this.codes[slot] !== code) slot = (slot + 1) & this.mask;
      this.codes[slot] = code;
      this.ids[slot] = id;
    }
  }

  /** The id of the code `text[from, to)`, or -1. */
  lookup(text: string, from: number, to: number): number {
    return this.lookupHashed(text, from, to, hashOf(text, from, to));
  }

  /** `lookup` with `hash` already computed by `hashStep` over the code's characters (from `HASH_START`). */
  lookupHashed(text: string, from: number, to: number, hash: number): number {
    const length = to - from;
    let slot = hashEnd(hash) & this.mask;
    for (;;) {
      const id = this.ids[slot] as number;
      if (id === -1) return -1;
      const code = this.codes[slot] as string;
      if (code.length === length && sameChars(code, text, from)) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of a whole code, or -1. */
  get(code: string): number {
    return this.lookup(code, 0, code.length);
  }
}

/** The start of a code's hash, for callers that hash while they scan. */
export const HASH_START = 0x811c9dc5;

/** One character more into a hash (FNV-1a). Example: `h = hashStep(h, text.charCodeAt(i))`. */
export function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

function hashEnd(h: number): number {
  return (h ^ (h >>> 15)) >>> 0;
}

function hashOf(text: string, from: number, to: number): number {
  let h = HASH_START;
  for (let i = from; i < to; i++) h = hashStep(h, text.charCodeAt(i));
  return h;
}

function sameChars(code: string, text: string, from: number): boolean {
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}
