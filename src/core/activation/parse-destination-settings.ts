import type {
  DestinationKind,
  DestinationUses,
  ExportColumn,
  FileSettings,
  GamSettings,
  HttpSettings,
  UrlSettings,
} from './destination.ts';
import { EXPORT_COLUMN_SOURCES } from './destination.ts';
import type { FieldError, JsonObject } from './field-errors.ts';
import {
  isObject,
  readArray,
  readBoolean,
  readInteger,
  readOneOf,
  readString,
  rejectUnknown,
} from './field-errors.ts';
import { GAM_LIMITS, gamProblem } from './gam-key-values.ts';
import { readHttpHeaders } from './read-http-headers.ts';
import { ipBytes } from '../net/ip-bytes.ts';

/** Settings of any kind, as `parseSettings` returns them. */
export type AnySettings = DestinationUses | GamSettings | UrlSettings | HttpSettings | FileSettings;

const USES = ['onsite', 'thirdParty', 'modeling', 'piiCombination'] as const;
const KNOWN: Record<DestinationKind, readonly string[]> = {
  openrtb: USES,
  prebid: USES,
  gam: [...USES, 'key', 'maxValuesPerKey'],
  url: [...USES, 'template'],
  http: [...USES, 'url', 'batchSize', 'authorization', 'headers'],
  file: [...USES, 'format', 'mode', 'columns', 'batchSize'],
};

function readUses(json: JsonObject, errors: FieldError[]): DestinationUses {
  const uses: DestinationUses = {};
  for (const name of USES) {
    if (json[name] === undefined) continue;
    const flag = readBoolean(json[name], `settings.${name}`, errors);
    if (flag !== undefined) uses[name] = flag;
  }
  return uses;
}

/**
 * An http(s) URL; `${MACRO}`s stand for any text. No user name or password (they would travel in logs
 * and in the clear); a host written as an IP address must be one `addressAllowed` accepts.
 */
function readUrl(
  value: unknown,
  field: string,
  errors: FieldError[],
  addressAllowed?: (address: string) => boolean,
): string | undefined {
  const text = readString(value, field, errors, { max: 2000 });
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text.replace(/\$\{[A-Z0-9_]+\}/g, 'x'));
  } catch {
    errors.push({ field, message: 'must be an absolute http or https URL' });
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    errors.push({ field, message: 'must be an absolute http or https URL' });
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    errors.push({
      field,
      message: 'must not hold a user name or password; send credentials in settings.authorization or headers',
    });
    return undefined;
  }
  const literal = ipBytes(url.hostname) !== undefined;
  if (literal && addressAllowed !== undefined && !addressAllowed(url.hostname)) {
    errors.push({
      field,
      message: `${url.hostname} is not a public address (loopback, private, link-local or reserved); the operator may allow ranges with DMP_ALLOW_PRIVATE_DESTINATIONS`,
    });
    return undefined;
  }
  return text;
}

function readColumns(value: unknown, errors: FieldError[]): ExportColumn[] {
  const list = readArray(value, 'settings.columns', errors, 100) ?? [];
  if (Array.isArray(value) && list.length === 0) {
    errors.push({ field: 'settings.columns', message: 'must have at least one column' });
  }
  const columns: ExportColumn[] = [];
  const names = new Set<string>();
  list.forEach((item, i) => {
    const at = `settings.columns[${i}]`;
    if (!isObject(item)) {
      errors.push({ field: at, message: 'must be an object' });
      return;
    }
    rejectUnknown(item, ['name', 'from', 'separator', 'value'], `${at}.`, errors);
    const name = readString(item.name, `${at}.name`, errors, { max: 64, pattern: /^[^\p{Cc}]+$/u });
    if (name !== undefined && names.has(name)) errors.push({ field: `${at}.name`, message: 'is repeated' });
    if (name !== undefined) names.add(name);
    const from = readOneOf(item.from, `${at}.from`, errors, EXPORT_COLUMN_SOURCES);
    const column: ExportColumn = { name: name ?? '', from: from ?? 'id' };
    if (item.separator !== undefined) {
      const separator = readString(item.separator, `${at}.separator`, errors, { max: 4 });
      if (separator !== undefined) column.separator = separator;
    }
    if (from === 'constant' || item.value !== undefined) {
      const constant = readString(item.value, `${at}.value`, errors, { max: 200 });
      if (constant !== undefined) column.value = constant;
    }
    columns.push(column);
  });
  return columns;
}

/**
 * The kind-specific settings of a destination, checked; errors name `settings.FIELD`.
 *
 * Example: `parseSettings('gam', { key: 'dmp' }, errors)` -> `{ key: 'dmp', maxValuesPerKey: 50 }`
 */
export function parseSettings(
  kind: DestinationKind,
  value: unknown,
  errors: FieldError[],
  addressAllowed?: (address: string) => boolean,
): AnySettings {
  const json = value === undefined ? {} : readObject(value, errors);
  rejectUnknown(json, KNOWN[kind], 'settings.', errors);
  const uses = readUses(json, errors);
  switch (kind) {
    case 'openrtb':
    case 'prebid':
      return uses;
    case 'gam': {
      const key = readString(json.key, 'settings.key', errors, { max: GAM_LIMITS.keyLength });
      const problem = key === undefined ? undefined : gamProblem(key, 'key');
      if (problem !== undefined) errors.push({ field: 'settings.key', message: problem });
      const max =
        json.maxValuesPerKey === undefined
          ? GAM_LIMITS.defaultMaxValuesPerKey
          : readInteger(json.maxValuesPerKey, 'settings.maxValuesPerKey', errors, { min: 1, max: 200 });
      return { ...uses, key: key ?? '', maxValuesPerKey: max ?? GAM_LIMITS.defaultMaxValuesPerKey };
    }
    case 'url':
      return { ...uses, template: readUrl(json.template, 'settings.template', errors, addressAllowed) ?? '' };
    case 'http': {
      const batchSize =
        json.batchSize === undefined
          ? 1000
          : readInteger(json.batchSize, 'settings.batchSize', errors, { min: 1, max: 10_000 });
      return {
        ...uses,
        url: readUrl(json.url, 'settings.url', errors, addressAllowed) ?? '',
        batchSize: batchSize ?? 1000,
        ...readHttpHeaders(json, errors),
      };
    }
    case 'file': {
      const format = readOneOf(json.format, 'settings.format', errors, ['csv', 'ndjson'] as const);
      const mode = readOneOf(json.mode, 'settings.mode', errors, ['full', 'delta'] as const);
      const batchSize =
        json.batchSize === undefined
          ? 1_000_000
          : readInteger(json.batchSize, 'settings.batchSize', errors, { min: 1, max: 10_000_000 });
      return {
        ...uses,
        format: format ?? 'csv',
        mode: mode ?? 'full',
        columns: readColumns(json.columns, errors),
        batchSize: batchSize ?? 1_000_000,
      };
    }
  }
}

function readObject(value: unknown, errors: FieldError[]): JsonObject {
  if (isObject(value)) return value;
  errors.push({ field: 'settings', message: 'must be an object' });
  return {};
}
