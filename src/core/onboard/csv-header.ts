/**
 * Where each known column is in a CSV file's rows (-1: absent). Example: the header `idType,id,traits`
 * -> `{ count: 3, idType: 0, id: 1, traits: 2, ts: -1, names: ['idType', 'id', 'traits'] }`.
 */
export interface CsvColumns {
  count: number;
  id: number;
  idType: number;
  traits: number;
  ts: number;
  /** the column names as written, for error reports */
  names: string[];
}

const KNOWN: Record<string, 'id' | 'idType' | 'traits' | 'ts'> = {
  id: 'id',
  idtype: 'idType',
  id_type: 'idType',
  traits: 'traits',
  ts: 'ts',
};

/**
 * Reads the header's fields (already split, see `splitCsvRecord`): `id` and `traits` are required,
 * `idType` and `ts` optional, in any order, names case-insensitive. Anything else is refused, naming it.
 *
 * Example: `csvColumns(['id', 'traits'])` -> `{ ok: true, columns }`;
 * `csvColumns(['uid', 'traits'])` -> `{ ok: false, message: "unknown column 'uid'; ..." }`.
 */
export function csvColumns(
  fields: readonly string[],
): { ok: true; columns: CsvColumns } | { ok: false; message: string } {
  const columns: CsvColumns = { count: fields.length, id: -1, idType: -1, traits: -1, ts: -1, names: [] };
  for (const [i, raw] of fields.entries()) {
    const name = raw.trim();
    columns.names.push(name);
    const known = KNOWN[name.toLowerCase()];
    if (known === undefined) {
      return {
        ok: false,
        message: `unknown column '${name}'; the header names id and traits, and optionally idType and ts (e.g. idType,id,traits)`,
      };
    }
    if (columns[known] !== -1) return { ok: false, message: `column '${name}' is named twice` };
    columns[known] = i;
  }
  if (columns.id === -1 || columns.traits === -1) {
    return { ok: false, message: 'the header must name the columns id and traits (e.g. id,traits)' };
  }
  return { ok: true, columns };
}
