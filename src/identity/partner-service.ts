import type { PartnerStore, StoredPartner } from '../catalog/partner-store.ts';
import { wrap } from '../catalog/catalog-call.ts';
import { isObject } from '../core/activation/field-errors.ts';
import type { SyncPartner } from '../core/identity/index.ts';
import { checkSyncPartner, MAX_REQUESTED_BIDDERS } from '../core/identity/index.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from '../governance/audit.ts';

/** The most ID-sync partners a tenant may have: as many as one `/cookie_sync` request may name. */
export const MAX_PARTNERS = MAX_REQUESTED_BIDDERS;

/** One error of a refused partner: the field at fault (`body` for the whole) and what to do. */
export interface PartnerFieldError {
  field: string;
  message: string;
}

/**
 * The `checkSyncPartner` errors as the API gives them: `"resyncDays: must be ..."` becomes
 * `{ field: 'resyncDays', message: 'must be ...' }`; an error naming no field is the body's.
 *
 * Example: `fieldErrors(['type: must be "redirect" or "iframe"'])` ->
 * `[{ field: 'type', message: 'must be "redirect" or "iframe"' }]`
 */
export function fieldErrors(errors: readonly string[]): PartnerFieldError[] {
  return errors.map((error) => {
    const match = /^([A-Za-z]+): (.*)$/s.exec(error);
    return match === null ? { field: 'body', message: error } : { field: match[1]!, message: match[2]! };
  });
}

function invalid(errors: readonly string[]): ServiceError {
  const list = fieldErrors(errors);
  const first = list[0];
  return new ServiceError(
    422,
    'invalid_partner',
    first === undefined ? 'invalid partner' : `${first.field}: ${first.message}`,
    { field: first?.field, errors: list },
  );
}

/** The partner without its stored times: what `checkSyncPartner` takes back for a change. */
function definition(partner: StoredPartner): SyncPartner {
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...rest } = partner;
  return rest;
}

/**
 * ID-sync partners of a tenant (`/v1/partners`): each checked by `checkSyncPartner` (every error at once,
 * a 422 `invalid_partner` naming each field), stored in the catalog, every change audited
 * (`partner.create`, `partner.update`, `partner.delete`, target `partner:CODE`, before and after).
 *
 * Example:
 * ```ts
 * await partners.create('acme', { code: 'ssp_a', name: 'SSP A', type: 'redirect', vendorId: 755,
 *   syncUrl: 'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&redir=${REDIRECT}' }, 'key:ab12');
 * await partners.update('acme', 'ssp_a', { resyncDays: 7 }, 'key:ab12');
 * ```
 */
export class PartnerService {
  constructor(
    private readonly catalog: PartnerStore,
    private readonly audit: Audit,
    /** told after every change of a tenant's partners (their ID lifetimes are cached elsewhere) */
    private readonly changed: (tenant: string) => void = () => {},
  ) {}

  /**
   * Another process changed the tenant's partners (`app/follow-catalog.ts`): what is cached of them (the
   * partners `/cookie_sync` reads, their ID lifetimes) is read again.
   *
   * Example: `partners.changedElsewhere('acme'); // the next /cookie_sync reads the partners from the catalog`
   */
  changedElsewhere(tenant: string): void {
    this.changed(tenant);
  }

  /** The tenant's partners, by code. */
  list(tenant: string): Promise<StoredPartner[]> {
    return this.catalog.listPartners(tenant);
  }

  /** The partner; a 404 `not_found` when the tenant has none with this code. */
  async get(tenant: string, code: string): Promise<StoredPartner> {
    const partner = await this.catalog.getPartner(tenant, code);
    if (partner === undefined) {
      throw new ServiceError(
        404,
        'not_found',
        `no partner '${code}' in this tenant; GET /v1/partners lists them`,
        { field: 'code' },
      );
    }
    return partner;
  }

  /** Checks and adds a partner (untrusted JSON); 409 when the code is taken, 422 when it does not check. */
  async create(tenant: string, input: unknown, actor: string): Promise<StoredPartner> {
    const checked = checkSyncPartner(input);
    if (!checked.ok) throw invalid(checked.errors);
    const existing = await this.catalog.listPartners(tenant);
    if (existing.length >= MAX_PARTNERS && !existing.some((p) => p.code === checked.partner.code)) {
      throw new ServiceError(
        422,
        'too_many_partners',
        `a tenant has at most ${MAX_PARTNERS} partners; delete one first (DELETE /v1/partners/{code})`,
      );
    }
    const partner = await wrap(this.catalog.createPartner(tenant, checked.partner));
    this.changed(tenant);
    await this.audit.record(tenant, actor, 'partner.create', `partner:${partner.code}`, undefined, partner);
    return partner;
  }

  /**
   * Changes some fields of a partner (a JSON object of the fields to change; `vendorId: null` removes the
   * vendor), then checks the whole partner again: a change that would leave it invalid is a 422 and
   * changes nothing. The code cannot change.
   */
  async update(tenant: string, code: string, patch: unknown, actor: string): Promise<StoredPartner> {
    if (!isObject(patch)) {
      throw invalid(['the change must be a JSON object of the fields to change, such as {"resyncDays": 7}']);
    }
    if (patch.code !== undefined && patch.code !== code) {
      throw invalid([`code: a partner keeps its code ('${code}'); create a new partner for another code`]);
    }
    const before = await this.get(tenant, code);
    const checked = checkSyncPartner({ ...definition(before), ...patch });
    if (!checked.ok) throw invalid(checked.errors);
    const partner = await wrap(this.catalog.updatePartner(tenant, code, checked.partner));
    this.changed(tenant);
    await this.audit.record(tenant, actor, 'partner.update', `partner:${code}`, before, partner);
    return partner;
  }

  /** Deletes a partner: no more syncs with it (the IDs it gave stay on the profiles). */
  async remove(tenant: string, code: string, actor: string): Promise<void> {
    const before = await this.get(tenant, code);
    await wrap(this.catalog.deletePartner(tenant, code));
    this.changed(tenant);
    await this.audit.record(tenant, actor, 'partner.delete', `partner:${code}`, before, undefined);
  }
}
