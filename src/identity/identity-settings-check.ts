import type { IdentitySettings } from '../catalog/identity-settings-store.ts';
import type { FieldError } from '../core/activation/index.ts';
import { isObject } from '../core/activation/field-errors.ts';
import {
  checkIdType,
  checkLifetimeDays,
  MAX_EIDS_OVERRIDES,
  mergeEidsSources,
} from '../core/identity/index.ts';

/** The most ID types `idLifetimeDays` or `idCaps` may name. */
export const MAX_TYPED_SETTINGS = 200;
/** The largest cap a tenant may set on one ID type. */
export const MAX_ID_CAP = 100;

const FIELDS = ['eidsSources', 'idLifetimeDays', 'idCaps'] as const;

/** Settings that passed `checkIdentitySettings`, or every error, each naming its field. */
export type IdentitySettingsCheck =
  { ok: true; settings: IdentitySettings } | { ok: false; errors: FieldError[] };

/** The path of a key under `field`: `idCaps.maid`, or `eidsSources["liveramp.com"]` when not a plain name. */
function keyPath(field: string, key: string): string {
  return /^[a-z0-9_]+$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key.slice(0, 80))}]`;
}

/** The object under `field` (absent: empty), or undefined with an error recorded. */
function mapAt(
  body: Record<string, unknown>,
  field: string,
  max: number,
  errors: FieldError[],
): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    errors.push({ field, message: 'must be an object' });
    return undefined;
  }
  const size = Object.keys(value).length;
  if (size > max) {
    errors.push({ field, message: `may name at most ${max} entries, not ${size}` });
    return undefined;
  }
  return value;
}

function checkSources(map: Record<string, unknown>, errors: FieldError[]): IdentitySettings['eidsSources'] {
  const out: IdentitySettings['eidsSources'] = {};
  for (const [raw, type] of Object.entries(map)) {
    const field = keyPath('eidsSources', raw);
    const source = raw.trim().toLowerCase();
    if (Object.hasOwn(out, source)) {
      errors.push({ field, message: `names the source ${JSON.stringify(source)} a second time` });
      continue;
    }
    // one entry at a time, so that each error names its own field
    const merged = mergeEidsSources({ [raw]: type });
    if (!merged.ok) {
      for (const error of merged.errors)
        errors.push({ field, message: error.replace(/^eids source "[^"]*": /, '') });
      continue;
    }
    out[source] = type === null ? null : (type as string);
  }
  return out;
}

function checkTyped(
  map: Record<string, unknown>,
  field: 'idLifetimeDays' | 'idCaps',
  errors: FieldError[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, value] of Object.entries(map)) {
    const at = keyPath(field, type);
    const typeCheck = checkIdType(type);
    if (!typeCheck.ok) {
      errors.push({ field: at, message: typeCheck.error });
      continue;
    }
    if (field === 'idLifetimeDays') {
      const days = checkLifetimeDays(value);
      if (days.ok) out[type] = days.days;
      else errors.push({ field: at, message: days.error });
    } else if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ID_CAP) {
      out[type] = value;
    } else {
      errors.push({
        field: at,
        message: `a cap must be a whole number of IDs from 1 to ${MAX_ID_CAP}, not ${JSON.stringify(value) ?? String(value)}`,
      });
    }
  }
  return out;
}

/**
 * Checks a tenant's identity settings as the `PUT /v1/identity/settings` route receives them (untrusted
 * JSON), giving every error at once, each naming its field:
 *
 * - `eidsSources`: `{ source: type | null }`, at most `MAX_EIDS_OVERRIDES`; each entry checked by
 *   `mergeEidsSources` (a source is a domain, kept lower-case; a type passes `checkIdType` and is not
 *   `uid`, `email` or `phone`; `null` stops reading a default source). Two keys naming one source are
 *   refused.
 * - `idLifetimeDays`: `{ type: days }`, types by `checkIdType`, days by `checkLifetimeDays` (1 to 3650).
 * - `idCaps`: `{ type: n }`, the most IDs of the type one profile keeps, 1 to `MAX_ID_CAP`.
 *
 * A field left out is empty (the defaults apply); other fields are refused. Never throws.
 *
 * Example:
 * ```ts
 * checkIdentitySettings({ eidsSources: { 'LiveRamp.com': 'ramp_id' }, idCaps: { maid: 0 } });
 * // { ok: false, errors: [{ field: 'idCaps.maid', message: 'a cap must be a whole number of IDs from 1 to 100, not 0' }] }
 * ```
 */
export function checkIdentitySettings(body: unknown): IdentitySettingsCheck {
  if (!isObject(body)) {
    return {
      ok: false,
      errors: [
        {
          field: '',
          message: 'identity settings must be a JSON object of eidsSources, idLifetimeDays, idCaps',
        },
      ],
    };
  }
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      errors.push({ field: key, message: `unknown field; the fields are ${FIELDS.join(', ')}` });
    }
  }
  const sources = mapAt(body, 'eidsSources', MAX_EIDS_OVERRIDES, errors);
  const lifetimes = mapAt(body, 'idLifetimeDays', MAX_TYPED_SETTINGS, errors);
  const caps = mapAt(body, 'idCaps', MAX_TYPED_SETTINGS, errors);
  const settings: IdentitySettings = {
    eidsSources: sources === undefined ? {} : checkSources(sources, errors),
    idLifetimeDays: lifetimes === undefined ? {} : checkTyped(lifetimes, 'idLifetimeDays', errors),
    idCaps: caps === undefined ? {} : checkTyped(caps, 'idCaps', errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}
