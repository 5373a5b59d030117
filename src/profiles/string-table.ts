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
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [''];

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
}
