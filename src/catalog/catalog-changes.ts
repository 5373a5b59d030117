/**
 * A committed catalog write, as every process hears it: whose (`*`: every tenant's) and which store
 * (`tenant`, `site-key`, `data-source`, `audit`, `opt-out`, `trait`, `segment`, `segment-size`,
 * `destination`, `campaign`, `run`, `partner`, `identity-settings`, `user`). `{ tenant: '*', kind: '*' }`
 * after a listener reconnected: changes may have been missed, so reload everything.
 *
 * Example: `{ tenant: 'acme', kind: 'trait' }`
 */
export interface CatalogChange {
  tenant: string;
  kind: string;
}

/** A running listener for catalog changes; `close()` stops it (twice is harmless). */
export interface CatalogListener {
  close(): Promise<void>;
}
