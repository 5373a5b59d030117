import type { SnapshotPart } from './profile-store.ts';
import { jsonPart, type SnapshotReader } from './snapshot-parts.ts';

/**
 * Interns strings (countries, cities, operating systems, ...) as small integer ids; 0 means absent.
 * Strings are never released: the values interned here (geo and device names) have low cardinality.
 *
 * Example:
 * ```ts
 * const strings = new StringTable();
 * const id = strings.intern('London'); // 1
 * strings.get(id); // 'London'
 * strings.intern(undefined); // 0
 * ```
 */
export class StringTable {
  private ids = new Map<string, number>();
  private values: string[] = [''];

  /** The id of `value` (interning it if new); 0 for `undefined` or the empty string. */
  intern(value: string | undefined): number {
    if (value === undefined || value === '') return 0;
    const known = this.ids.get(value);
    if (known !== undefined) return known;
    const id = this.values.length;
    this.values.push(value);
    this.ids.set(value, id);
    return id;
  }

  /** The string of `id`; `undefined` for 0 (absent) or an unknown id. */
  get(id: number): string | undefined {
    return id === 0 ? undefined : this.values[id];
  }

  /** How many distinct strings are interned. */
  size(): number {
    return this.values.length - 1;
  }

  /** The table as one snapshot part named `name` (its strings in id order, as JSON). */
  snapshot(name: string): SnapshotPart {
    return jsonPart(name, this.values.slice(1));
  }

  /** The table of `snapshot`'s part: every string keeps its id. */
  static restore(reader: SnapshotReader, name: string): StringTable {
    const values = reader.json(name);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' && v !== ''))
      throw new Error(`snapshot part ${name}: not a list of strings`);
    const table = new StringTable();
    table.values = ['', ...(values as string[])];
    table.ids = new Map(table.values.map((v, id) => [v, id]));
    table.ids.delete('');
    return table;
  }
}
