import type { Catalog } from '../catalog/catalog.ts';
import { DATA_LABELS } from '../catalog/catalog.ts';
import type { Destination } from '../core/activation/index.ts';
import { exportControlConflicts, parseDestination } from '../core/activation/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from '../governance/audit.ts';
import type { RuleReader } from '../qualify/ports.ts';
import { wrap } from '../catalog/catalog-call.ts';
import { lineageOf } from '../segments/segment-lineage.ts';
import type { Revision } from '../governance/revision.ts';
import type { TenantRules } from '../qualify/tenant-rules.ts';

/**
 * What the destination service is built from (the app's own). Example:
 * `{ catalog, qualify, audit, revision, addressAllowed: addressPolicy(false).allows }`
 */
export interface DestinationServiceDeps {
  catalog: Catalog;
  qualify: RuleReader;
  audit: Audit;
  /** shared with the data sources: bumped by every change to a destination; cached decisions follow it */
  revision: Revision;
  /** whether a destination URL's host written as an IP address may be reached (the address policy); default: any */
  addressAllowed?: (address: string) => boolean;
}

/**
 * Destinations of a tenant: validated definitions, mapped segments that exist, and export controls
 * checked when saved: a mapping whose segment carries a label the destination cannot take is refused,
 * naming the label and the data source. Example: `await destinations.save('t1', definition, 'key:ab12')`.
 */
export class DestinationService {
  constructor(private readonly deps: DestinationServiceDeps) {}

  private readonly removedListeners: ((tenant: string, code: string) => Promise<void>)[] = [];

  /**
   * Calls `listener` after each deletion, before `remove` resolves (the runner cancels the runs).
   * Example: `destinations.onRemoved((t, code) => runner.cancelDestination(t, code, 'deleted'))`
   */
  onRemoved(listener: (tenant: string, code: string) => Promise<void>): void {
    this.removedListeners.push(listener);
  }

  /**
   * Another process changed a destination or a data source's labels (`app/follow-catalog.ts`): every
   * cached destination is read again at its next use (a read in flight now is not kept either).
   *
   * Example: `destinations.changedElsewhere(); await destinations.resolve('acme', 'ssp'); // from the catalog`
   */
  changedElsewhere(): void {
    this.deps.revision.bump();
  }

  /** Destinations and their refused segments, cached until the rules, the sources or a destination change. */
  private readonly cache = new Map<
    string,
    { rules: TenantRules; revision: number; destination: Destination; refused: Map<string, string> }
  >();

  /** A destination with the segments its export controls refuse, for the hot paths. */
  async resolve(
    tenant: string,
    code: string,
  ): Promise<{ destination: Destination; refused: ReadonlyMap<string, string> }> {
    const key = `${tenant}\u0000${code}`;
    const rules = this.deps.qualify.rules(tenant);
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.rules === rules && hit.revision === this.deps.revision.value) return hit;
    const destination = await this.get(tenant, code);
    const entry = {
      rules,
      revision: this.deps.revision.value,
      destination,
      refused: await this.conflicts(tenant, destination),
    };
    this.cache.set(key, entry);
    return entry;
  }

  async list(tenant: string): Promise<Destination[]> {
    return (await this.deps.catalog.listDestinations(tenant)).map((d) => d.definition as Destination);
  }

  async get(tenant: string, code: string): Promise<Destination> {
    const stored = await this.deps.catalog.getDestination(tenant, code);
    if (stored === undefined) {
      throw new ServiceError(404, 'not_found', `no destination '${code}' in this tenant`, {
        field: 'destination',
      });
    }
    return stored.definition as Destination;
  }

  /** Creates (or, with `replace`, changes) a destination after every check. */
  async save(tenant: string, input: unknown, actor: string, replace?: string): Promise<Destination> {
    const parsed = parseDestination(input, {
      knownLabels: DATA_LABELS,
      ...(this.deps.addressAllowed === undefined ? {} : { addressAllowed: this.deps.addressAllowed }),
    });
    if (!parsed.ok) {
      const first = parsed.errors[0];
      throw new ServiceError(
        422,
        'invalid_destination',
        first === undefined ? 'invalid destination' : `${first.field}: ${first.message}`,
        {
          field: first?.field,
          errors: parsed.errors,
        },
      );
    }
    const destination = parsed.destination;
    if (replace !== undefined && destination.code !== replace) {
      throw new ServiceError(
        422,
        'invalid_destination',
        `code: a destination keeps its code ('${replace}')`,
        { field: 'code' },
      );
    }
    const before = await this.deps.catalog.getDestination(tenant, destination.code);
    if (replace === undefined && before !== undefined) {
      throw new ServiceError(
        409,
        'conflict',
        `destination '${destination.code}' already exists in this tenant`,
        { field: 'code' },
      );
    }
    if (replace !== undefined && before === undefined) await this.get(tenant, replace);
    await this.checkMappings(tenant, destination);
    await wrap(this.deps.catalog.saveDestination(tenant, destination.code, destination.kind, destination));
    this.deps.revision.bump();
    await this.deps.audit.record(
      tenant,
      actor,
      replace === undefined ? 'destination.create' : 'destination.update',
      `destination:${destination.code}`,
      before === undefined ? undefined : masked(before.definition as Destination),
      masked(destination),
    );
    return destination;
  }

  async remove(tenant: string, code: string, actor: string): Promise<void> {
    const before = await this.get(tenant, code);
    await wrap(this.deps.catalog.deleteDestination(tenant, code));
    this.deps.revision.bump();
    await this.deps.audit.record(
      tenant,
      actor,
      'destination.delete',
      `destination:${code}`,
      masked(before),
      undefined,
    );
    for (const listener of this.removedListeners) await listener(tenant, code);
  }

  /** The mapped segments of the destination that its export controls forbid, with the reasons. */
  async conflicts(tenant: string, destination: Destination): Promise<Map<string, string>> {
    const rules = this.deps.qualify.rules(tenant);
    const sources = await this.deps.catalog.listDataSources(tenant);
    const refused = new Map<string, string>();
    for (const { segment } of destination.segments) {
      if (refused.has(segment)) continue;
      const lineage = lineageOf(rules, segment, sources);
      const sourceLabels = sources
        .filter((s) => lineage.sources.includes(s.code))
        .map((s) => ({ code: s.code, labels: s.labels }));
      const conflict = exportControlConflicts(
        { labels: lineage.labels, sources: sourceLabels },
        destination,
      )[0];
      if (conflict !== undefined) refused.set(segment, conflict.reason);
    }
    return refused;
  }

  private async checkMappings(tenant: string, destination: Destination): Promise<void> {
    const rules = this.deps.qualify.rules(tenant);
    destination.segments.forEach(({ segment }, i) => {
      if (rules.segmentByCode(segment) === undefined) {
        throw new ServiceError(
          422,
          'unknown_segment',
          `segments[${i}].segment: no segment '${segment}' in this tenant`,
          {
            field: `segments[${i}].segment`,
          },
        );
      }
    });
    const refused = await this.conflicts(tenant, destination);
    const [segment, reason] = [...refused][0] ?? [];
    if (segment !== undefined) {
      throw new ServiceError(
        422,
        'export_control',
        `segment '${segment}' may not go to ${destination.code}: ${reason ?? ''}`,
        {
          field: 'segments',
          errors: [...refused].map(([s, r]) => ({ segment: s, reason: r })),
        },
      );
    }
  }
}

/**
 * A destination as shown through the API and in the audit log: credentials (an http destination's
 * `authorization` and header values) replaced by `***`. The runner uses the stored definition.
 * Example: `masked(ttd).settings.authorization` -> `'***'`.
 */
export function masked(destination: Destination): Destination {
  if (destination.kind !== 'http') return destination;
  const { authorization, headers, ...rest } = destination.settings;
  return {
    ...destination,
    settings: {
      ...rest,
      ...(authorization === undefined ? {} : { authorization: '***' }),
      ...(headers === undefined
        ? {}
        : { headers: Object.fromEntries(Object.keys(headers).map((k) => [k, '***'])) }),
    },
  };
}
