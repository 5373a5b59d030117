/**
 * A campaign as stored: its definition is validated by the campaign service before it is saved.
 * Example: `{ code: 'xmas', definition: { ... }, createdAt, updatedAt }`
 */
export interface StoredCampaign {
  code: string;
  definition: unknown;
  createdAt: string;
  updatedAt: string;
}

/**
 * Campaigns of each tenant, one per code.
 *
 * Example: `await campaigns.saveCampaign('acme', 'xmas', definition)`.
 */
export interface CampaignStore {
  /** The tenant's campaigns, oldest first. */
  listCampaigns(tenant: string): Promise<StoredCampaign[]>;
  getCampaign(tenant: string, code: string): Promise<StoredCampaign | undefined>;
  /** Saves a campaign (new, or replacing the one with its code; `createdAt` stays). */
  saveCampaign(tenant: string, code: string, definition: unknown): Promise<StoredCampaign>;
  /** `not_found` when the tenant has no campaign with this code. */
  deleteCampaign(tenant: string, code: string): Promise<void>;
}
