/**
 * A vendor of the IAB Global Vendor List (v3): the purposes it asks consent for (`purposes`), those it
 * rests on legitimate interest (`legIntPurposes`), those where a publisher may switch its legal basis
 * (`flexiblePurposes`), and its special features.
 *
 * Example: `{ id: 755, name: 'Google Advertising Products', purposes: [1, 3, 4],
 *   legIntPurposes: [2, 7, 9, 10], flexiblePurposes: [2, 7, 9, 10], specialPurposes: [1, 2],
 *   features: [1, 2], specialFeatures: [] }`
 */
export interface GvlVendor {
  id: number;
  name: string;
  purposes: number[];
  legIntPurposes: number[];
  flexiblePurposes: number[];
  specialPurposes: number[];
  features: number[];
  specialFeatures: number[];
  /** set when the vendor was removed from the list; a deleted vendor receives nothing */
  deletedDate?: string;
}

/** A purpose or special feature. Example: `{ id: 1, name: 'Store and/or access information on a device' }` */
export interface GvlPurpose {
  id: number;
  name: string;
}

/**
 * A Global Vendor List, checked and indexed by ID.
 *
 * Example: `gvl.vendors.get(755)?.name` -> `'Google Advertising Products'`; `gvl.purposes.size` -> 11
 */
export interface Gvl {
  gvlSpecificationVersion: number;
  vendorListVersion: number;
  tcfPolicyVersion: number;
  lastUpdated: string;
  vendors: ReadonlyMap<number, GvlVendor>;
  purposes: ReadonlyMap<number, GvlPurpose>;
  specialFeatures: ReadonlyMap<number, GvlPurpose>;
}

/** Example: `parseGvl({})` -> `{ ok: false, reason: 'vendorListVersion must be a positive integer' }` */
export type GvlResult = { ok: true; gvl: Gvl } | { ok: false; reason: string };

/** Thrown inside the parser only, and turned into a `{ ok: false }` value at its boundary. */
class GvlShapeError extends Error {}

type Json = Record<string, unknown>;

function objectAt(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GvlShapeError(`${path} must be an object`);
  }
  return value as Json;
}

function positiveInt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new GvlShapeError(`${path} must be a positive integer`);
  }
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new GvlShapeError(`${path} must be a string`);
  return value;
}

/** A list of IDs; a missing list is empty (the v3 list omits some on some vendors). */
function ids(value: unknown, path: string): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GvlShapeError(`${path} must be an array of IDs`);
  return value.map((id, i) => positiveInt(id, `${path}[${i}]`)).sort((a, b) => a - b);
}

/** Entries of an object keyed by ID, checking that each key is the entry's own `id`. */
function byId<T extends { id: number }>(
  value: unknown,
  path: string,
  read: (entry: Json, path: string) => T,
): Map<number, T> {
  const out = new Map<number, T>();
  for (const [key, raw] of Object.entries(objectAt(value, path))) {
    const entry = read(objectAt(raw, `${path}.${key}`), `${path}.${key}`);
    if (String(entry.id) !== key) throw new GvlShapeError(`${path}.${key}.id must be ${key}`);
    out.set(entry.id, entry);
  }
  return out;
}

function readPurpose(entry: Json, path: string): GvlPurpose {
  return { id: positiveInt(entry['id'], `${path}.id`), name: text(entry['name'], `${path}.name`) };
}

function readVendor(entry: Json, path: string): GvlVendor {
  const vendor: GvlVendor = {
    id: positiveInt(entry['id'], `${path}.id`),
    name: text(entry['name'], `${path}.name`),
    purposes: ids(entry['purposes'], `${path}.purposes`),
    legIntPurposes: ids(entry['legIntPurposes'], `${path}.legIntPurposes`),
    flexiblePurposes: ids(entry['flexiblePurposes'], `${path}.flexiblePurposes`),
    specialPurposes: ids(entry['specialPurposes'], `${path}.specialPurposes`),
    features: ids(entry['features'], `${path}.features`),
    specialFeatures: ids(entry['specialFeatures'], `${path}.specialFeatures`),
  };
  if (entry['deletedDate'] !== undefined) {
    vendor.deletedDate = text(entry['deletedDate'], `${path}.deletedDate`);
  }
  return vendor;
}

/**
 * Checks untrusted JSON as a Global Vendor List (v3, TCF v2.2) and indexes it. Never throws: a list of
 * the wrong shape gives `{ ok: false, reason }` naming the field at fault.
 *
 * Example:
 * ```ts
 * const parsed = parseGvl(JSON.parse(text));
 * if (parsed.ok) parsed.gvl.vendors.get(755)?.legIntPurposes; // [2, 7, 9, 10]
 * ```
 */
export function parseGvl(json: unknown): GvlResult {
  try {
    const root = objectAt(json, 'the vendor list');
    const gvl: Gvl = {
      gvlSpecificationVersion: positiveInt(root['gvlSpecificationVersion'], 'gvlSpecificationVersion'),
      vendorListVersion: positiveInt(root['vendorListVersion'], 'vendorListVersion'),
      tcfPolicyVersion: positiveInt(root['tcfPolicyVersion'], 'tcfPolicyVersion'),
      lastUpdated: text(root['lastUpdated'], 'lastUpdated'),
      vendors: byId(root['vendors'], 'vendors', readVendor),
      purposes: byId(root['purposes'], 'purposes', readPurpose),
      specialFeatures: byId(root['specialFeatures'] ?? {}, 'specialFeatures', readPurpose),
    };
    return { ok: true, gvl };
  } catch (error) {
    if (error instanceof GvlShapeError) return { ok: false, reason: error.message };
    throw error;
  }
}
