import type { DataSource, DataSourceStore, Party } from '../catalog/data-source-store.ts';
import { ServiceError } from '../core/service-error.ts';
import { wrap } from '../catalog/catalog-call.ts';
import type { Audit } from './audit.ts';
import type { Revision } from './revision.ts';

/**
 * Data sources and their export-control labels, every change audited.
 * Example: `await sources.update('t1', 'crm', { labels: ['no-offsite-targeting'] }, 'key:ab12')`.
 */
export class SourceService {
  constructor(
    private readonly catalog: DataSourceStore,
    private readonly audit: Audit,
    private readonly revision: Revision,
  ) {}

  list(tenant: string): Promise<DataSource[]> {
    return this.catalog.listDataSources(tenant);
  }

  async get(tenant: string, code: string): Promise<DataSource> {
    const source = await this.catalog.getDataSource(tenant, code);
    if (source === undefined)
      throw new ServiceError(404, 'not_found', `no data source '${code}' in this tenant`, { field: 'code' });
    return source;
  }

  async create(
    tenant: string,
    input: { code: string; name: string; party: Party; labels?: string[] },
    actor: string,
  ): Promise<DataSource> {
    const source = await wrap(this.catalog.createDataSource(tenant, input));
    this.revision.bump();
    await this.audit.record(tenant, actor, 'source.create', `source:${source.code}`, undefined, source);
    return source;
  }

  async update(
    tenant: string,
    code: string,
    patch: { name?: string; labels?: string[] },
    actor: string,
  ): Promise<DataSource> {
    const before = await this.get(tenant, code);
    const source = await wrap(this.catalog.updateDataSource(tenant, code, patch));
    this.revision.bump();
    await this.audit.record(tenant, actor, 'source.update', `source:${code}`, before, source);
    return source;
  }

  async remove(tenant: string, code: string, actor: string): Promise<void> {
    const before = await this.get(tenant, code);
    await wrap(this.catalog.deleteDataSource(tenant, code));
    this.revision.bump();
    await this.audit.record(tenant, actor, 'source.delete', `source:${code}`, before, undefined);
  }
}
