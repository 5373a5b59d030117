import type { Clock } from '../core/clock.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { IdLinksRecord, LinkFileFormat, LinkRowError, LinksOutcome } from '../core/identity/index.ts';
import { LINK_ROWS_PER_RECORD, readLinkFile } from '../core/identity/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from '../governance/audit.ts';
import type { OptOutRegistry } from '../privacy/opt-out-registry.ts';

/**
 * What the ID-link service uses: `append` is the ingestion service's (durable, then applied in log
 * order); `outcomeOf` reads what applying an appended record did (`QualifyService.linksOutcome`).
 *
 * Example: `{ append: (r) => ingest.append(r), outcomeOf: (r) => qualify.linksOutcome(r), optOuts, audit, clock }`
 */
export interface IdLinksDeps {
  append(records: readonly IdLinksRecord[]): Promise<number>;
  outcomeOf(record: IdLinksRecord): LinksOutcome | undefined;
  optOuts: Pick<OptOutRegistry, 'covers'>;
  audit: Pick<Audit, 'record'>;
  clock: Clock;
  /** rows per `links` record (default `LINK_ROWS_PER_RECORD`; tests make it small) */
  rowsPerRecord?: number;
}

/**
 * The answer to an ID-link file: `rows` read (blank lines not counted) = `linked` + `unmatched` +
 * `skipped` + `rejected`; `merged` counts the profiles merged into another; `skipped` rows had fewer
 * than two IDs or an opted-out ID; `errors` lists the first 100 rejected rows.
 *
 * Example: `{ rows: 3, linked: 1, merged: 1, unmatched: 1, skipped: 0, rejected: 1, errors: [{ row: 4, column: 'email_sha256', error: '...' }] }`
 */
export interface LinksReport extends LinksOutcome {
  rows: number;
  skipped: number;
  rejected: number;
  errors: LinkRowError[];
}

/**
 * ID-link files (issue 15, point 3): a match table whose header names the ID types and whose rows each
 * assert that their IDs are one visitor (a CRM onboarding file, Audience Manager's ID synchronization
 * file). `link` reads the whole file (`readLinkFile`: each cell checked by `checkId`, bad rows reported
 * with row and column), skips rows holding an opted-out ID, writes the rest as `links` log records of
 * `rowsPerRecord` rows, one append after another (each durable, then applied: merges and attached IDs,
 * src/qualify/apply-links.ts), and answers once all are applied. Re-sending a file is harmless: its rows
 * find their IDs already on one profile. Audited as `identity.links` with the counts, never an ID.
 *
 * Example:
 * ```ts
 * const links = new IdLinksService({ append, outcomeOf, optOuts, audit, clock });
 * await links.link('acme', 'crm,maid\nC-1001,6d92078a-8246-4ba4-ae5b-76104861e7dc\n', 'csv', 'key:ab12');
 * // { rows: 1, linked: 1, merged: 1, unmatched: 0, skipped: 0, rejected: 0, errors: [] }
 * ```
 */
export class IdLinksService {
  private readonly optedOut: (tenant: string, ids: readonly [string, string][]) => boolean;

  constructor(private readonly deps: IdLinksDeps) {
    this.optedOut = optOutTest(deps.optOuts);
  }

  async link(tenant: string, text: string, format: LinkFileFormat, actor: string): Promise<LinksReport> {
    const read = readLinkFile(text, format);
    if (!read.ok) throw new ServiceError(422, 'invalid_header', read.error, { field: 'header' });
    const { file } = read;
    const rows = file.rows.filter((row) => !this.optedOut(tenant, row.ids)).map((row) => row.ids);
    const report: LinksReport = {
      rows: file.read,
      linked: 0,
      merged: 0,
      unmatched: 0,
      skipped: file.tooFewIds + (file.rows.length - rows.length),
      rejected: file.rejected,
      errors: file.errors,
    };
    const ts = this.deps.clock.now();
    const size = Math.max(1, this.deps.rowsPerRecord ?? LINK_ROWS_PER_RECORD);
    for (let i = 0; i < rows.length; i += size) {
      const record: IdLinksRecord = { kind: 'links', tenant, ts, rows: rows.slice(i, i + size) };
      await this.deps.append([record]);
      const outcome = this.deps.outcomeOf(record);
      if (outcome === undefined)
        throw new Error('a links record was appended but not applied in this process');
      report.linked += outcome.linked;
      report.merged += outcome.merged;
      report.unmatched += outcome.unmatched;
    }
    const { errors: _errors, ...counts } = report;
    await this.deps.audit.record(tenant, actor, 'identity.links', 'identity:links', undefined, {
      format,
      types: file.types,
      ...counts,
    });
    return report;
  }
}

/**
 * Whether a row holds an ID that opted out, asked of the collector's registry as one event naming the
 * row's IDs (a row has one ID of each type; `uid`, if a column, is the event's uid). One probe is reused.
 */
function optOutTest(
  registry: Pick<OptOutRegistry, 'covers'>,
): (tenant: string, ids: readonly [string, string][]) => boolean {
  const probe: CollectedEvent = {
    uid: '',
    ids: {},
    type: 'links',
    ts: 0,
    utm: {},
    signals: {},
    geo: {},
    device: {},
  };
  return (tenant, ids) => {
    probe.uid = '';
    const others: Record<string, string> = {};
    for (const [type, value] of ids) {
      if (type === 'uid') probe.uid = value;
      else others[type] = value;
    }
    probe.ids = others;
    return registry.covers(tenant, probe);
  };
}
