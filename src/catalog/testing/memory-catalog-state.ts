import type { AuditEntry } from '../audit-log-store.ts';
import { CatalogError } from '../catalog-error.ts';
import type { DataSource } from '../data-source-store.ts';
import type { ActivationRun } from '../run-store.ts';
import type { Segment } from '../segment-store.ts';
import type { Tenant } from '../tenant-store.ts';
import type { Trait } from '../trait-store.ts';

/** A dead letter as the fake keeps it: the payload as JSON text, like a database column. */
export interface LetterRow {
  id: number;
  destination: string;
  runId: string;
  batchId: string;
  reason: string;
  attempts: number;
  payload: string;
  createdAt: string;
}

/** A destination or campaign as the fake keeps it: the definition as JSON text. */
export interface DefinitionRow {
  code: string;
  kind: string;
  definition: string;
  createdAt: string;
  updatedAt: string;
}

/** Everything of one tenant; values that hold caller JSON are kept as text, so no caller can change them. */
export interface TenantRows {
  tenant: Tenant;
  visitorKey: Buffer;
  sources: Map<string, DataSource>;
  /** traits by code; `ruleJson` of the trait and of each version as JSON text */
  traits: Map<string, Trait & { ruleJsonText: string; versionJson: string[] }>;
  segments: Map<string, Segment & { ruleJsonText: string }>;
  audit: (Omit<AuditEntry, 'before' | 'after'> & { before: string | null; after: string | null })[];
  /** `visitorHash` of every opted-out ID, hex */
  optOuts: Set<string>;
  destinations: Map<string, DefinitionRow>;
  campaigns: Map<string, DefinitionRow>;
  runs: Map<string, Omit<ActivationRun, 'report'> & { report: string }>;
  letters: LetterRow[];
  /** `segmentId NUL day` -> size */
  sizes: Map<string, number>;
}

/**
 * The state of the in-memory catalog, shared by its parts as the SQLite parts share one database:
 * `createTenant` writes tenants, keys and data sources in one step, and traits look up data sources.
 *
 * Example: `const state = newCatalogState(() => new Date().toISOString());`
 */
export interface CatalogState {
  now(): string;
  tenants: Map<string, TenantRows>;
  /** by key ID, in creation order; `user` set for a user's key (issue 17) */
  apiKeys: Map<
    string,
    { tenant: string; secretSha256: Buffer; user?: string; lastFour?: string; createdAt?: string }
  >;
  /** in creation order */
  siteKeys: Map<string, { tenant: string; origins: string[]; createdAt: string }>;
  /** the last ID given per kind of row: IDs are never reused, as with SQLite's AUTOINCREMENT */
  lastId: { source: number; trait: number; segment: number; letter: number };
}

/** A fresh, empty state. Example: `newCatalogState(() => '2026-01-01T00:00:00.000Z')`. */
export function newCatalogState(now: () => string): CatalogState {
  return {
    now,
    tenants: new Map(),
    apiKeys: new Map(),
    siteKeys: new Map(),
    lastId: { source: 0, trait: 0, segment: 0, letter: 0 },
  };
}

/**
 * The tenant's rows; throws `not_found` for an unknown tenant, as every write of every adapter does.
 *
 * Example: `const rows = rowsOf(state, 'acme');`
 */
export function rowsOf(state: CatalogState, tenant: string): TenantRows {
  const rows = state.tenants.get(tenant);
  if (!rows) throw new CatalogError('not_found', `tenant '${tenant}' does not exist`);
  return rows;
}

/** A value as a database column would keep it (JSON text). Example: `jsonText(undefined)` -> `'null'`. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** A stored JSON text back to a fresh value. Example: `fromJson('{"a":1}')` -> `{ a: 1 }`. */
export function fromJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}
