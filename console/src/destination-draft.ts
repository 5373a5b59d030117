import type { Destination } from './api.ts';

/** The kinds of destination (`src/core/activation/destination.ts`), with the words the form shows. */
export const DESTINATION_KINDS = [
  ['file', 'File drop (file)'],
  ['http', 'Partner API (http)'],
  ['gam', 'Google Ad Manager key-values (gam)'],
  ['openrtb', 'OpenRTB bid stream (openrtb)'],
  ['prebid', 'Prebid.js (prebid)'],
  ['url', 'Pixel URL (url)'],
] as const;

/** What a destination does with the data, for the export controls (`settings.onsite`...). */
export const USES = [
  ['onsite', 'On-site use only (onsite)'],
  ['thirdParty', 'Shares with third parties (thirdParty)'],
  ['modeling', 'Uses the data for modelling (modeling)'],
  ['piiCombination', 'Joins it with personal data (piiCombination)'],
] as const;

/** One of the `USES` flags. */
export type Use = (typeof USES)[number][0];

/** A file destination's column as the form holds it. Example: `{ name: 'segs', from: 'segment_ids', separator: ';', value: '' }` */
export interface ColumnDraft {
  name: string;
  from: string;
  separator: string;
  value: string;
}

/** A destination as the form holds it: every field as its text, the way inputs give it. */
export interface DestinationDraft {
  code: string;
  name: string;
  kind: string;
  idType: string;
  /** one mapping a line: `segment = ID` */
  segments: string;
  segtax: string;
  vendorId: string;
  /** `1, 3, 4` */
  purposes: string;
  /** `no-modeling, health` */
  restrictions: string;
  rateLimit: string;
  everyMinutes: string;
  uses: Partial<Record<Use, boolean>>;
  key: string;
  maxValuesPerKey: string;
  template: string;
  url: string;
  batchSize: string;
  authorization: string;
  /** a JSON object of header names and values */
  headers: string;
  format: string;
  mode: string;
  columns: ColumnDraft[];
}

/** What the API hides (`***`): saving the mask would replace the stored secret with it. */
const MASK = '***';

const text = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/**
 * The form's draft of a destination as the API answers it, or of a new file destination.
 *
 * Example: `draftOf(undefined).kind` -> `'file'`; `draftOf(ttd).segments` -> `'auto_intent = ttd-991'`
 */
export function draftOf(d?: Destination): DestinationDraft {
  const s = d?.settings ?? {};
  const consent = (d?.['consent'] ?? {}) as { vendorId?: number; purposes?: number[] };
  const uses: Partial<Record<Use, boolean>> = {};
  for (const [use] of USES) if (typeof s[use] === 'boolean') uses[use] = s[use];
  const columns = Array.isArray(s['columns']) ? (s['columns'] as Record<string, unknown>[]) : undefined;
  return {
    code: d?.code ?? '',
    name: d?.name ?? '',
    kind: d?.kind ?? 'file',
    idType: d?.idType ?? 'uid',
    segments: (d?.segments ?? []).map((m) => `${m.segment} = ${m.id}`).join('\n'),
    segtax: text(d?.['segtax']),
    vendorId: text(consent.vendorId),
    purposes: (consent.purposes ?? []).join(', '),
    restrictions: ((d?.['restrictions'] as string[] | undefined) ?? []).join(', '),
    rateLimit: text(d?.['rateLimitPerSecond']),
    everyMinutes: text((d?.['schedule'] as { everyMinutes?: number } | undefined)?.everyMinutes),
    uses,
    key: text(s['key']),
    maxValuesPerKey: text(s['maxValuesPerKey']),
    template: text(s['template']),
    url: text(s['url']),
    batchSize: text(s['batchSize']),
    authorization: text(s['authorization']),
    headers: s['headers'] === undefined ? '' : JSON.stringify(s['headers']),
    format: text(s['format'] ?? 'csv'),
    mode: text(s['mode'] ?? 'full'),
    columns: (columns ?? [{ name: 'id', from: 'id' }]).map((c) => ({
      name: text(c['name']),
      from: text(c['from']),
      separator: text(c['separator']),
      value: text(c['value']),
    })),
  };
}

/** A number field: empty is left out; an integer is a number; anything else goes as typed, for the API to name. */
function num(value: string): number | string | undefined {
  const t = value.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** `{ field: value }` when the value is there, `{}` when not: for spreading into a body. */
function opt(field: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [field]: value };
}

/** The kind's own settings of the draft; errors the browser finds itself (bad JSON, a mask) by field. */
function settingsOf(d: DestinationDraft, errors: Record<string, string[]>): Record<string, unknown> {
  const uses = Object.fromEntries(Object.entries(d.uses).filter(([, v]) => v !== undefined));
  switch (d.kind) {
    case 'gam':
      return { ...uses, key: d.key, ...opt('maxValuesPerKey', num(d.maxValuesPerKey)) };
    case 'url':
      return { ...uses, template: d.template };
    case 'http': {
      if (d.authorization === MASK)
        errors['settings.authorization'] = ['the API hides the stored credential: type it again to save'];
      let headers: unknown;
      if (d.headers.trim() !== '') {
        try {
          headers = JSON.parse(d.headers);
        } catch {
          errors['settings.headers'] = ['must be a JSON object of names and values: {"X-Account": "42"}'];
        }
        if (JSON.stringify(headers ?? {}).includes(`"${MASK}"`))
          errors['settings.headers'] = ['the API hides the stored header values: type them again to save'];
      }
      return {
        ...uses,
        url: d.url,
        ...opt('batchSize', num(d.batchSize)),
        ...opt('authorization', d.authorization === '' ? undefined : d.authorization),
        ...opt('headers', headers),
      };
    }
    case 'file':
      return {
        ...uses,
        format: d.format,
        mode: d.mode,
        ...opt('batchSize', num(d.batchSize)),
        columns: d.columns.map((c) => ({
          name: c.name,
          from: c.from,
          ...opt('separator', c.separator === '' ? undefined : c.separator),
          ...opt('value', c.from === 'constant' || c.value !== '' ? c.value : undefined),
        })),
      };
    default:
      return uses;
  }
}

/**
 * The body `POST /v1/destinations` or `PUT /v1/destinations/{code}` takes, from the draft, with the
 * errors the browser finds before sending (JSON that does not parse, a masked credential kept): the
 * API checks everything else and names the field at fault.
 *
 * Example: `bodyOf({ ...draftOf(), code: 'drop', name: 'Drop', segments: 'fans = 12' }).body.segments`
 * -> `[{ segment: 'fans', id: '12' }]`
 */
export function bodyOf(d: DestinationDraft): {
  body: Record<string, unknown>;
  errors: Record<string, string[]>;
} {
  const errors: Record<string, string[]> = {};
  const segments = d.segments
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf('=');
      return at === -1
        ? { segment: line, id: '' }
        : { segment: line.slice(0, at).trim(), id: line.slice(at + 1).trim() };
    });
  const list = (v: string) =>
    v
      .split(/[,\s]+/)
      .map((x) => x.trim())
      .filter((x) => x !== '');
  const body: Record<string, unknown> = {
    kind: d.kind,
    code: d.code,
    name: d.name,
    segments,
    idType: d.idType,
    consent: { ...opt('vendorId', num(d.vendorId)), purposes: list(d.purposes).map((p) => num(p)) },
    restrictions: list(d.restrictions),
    ...opt('segtax', num(d.segtax)),
    ...opt('rateLimitPerSecond', num(d.rateLimit)),
    ...opt('schedule', d.everyMinutes.trim() === '' ? undefined : { everyMinutes: num(d.everyMinutes) }),
    settings: settingsOf(d, errors),
  };
  return { body, errors };
}
