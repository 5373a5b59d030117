import pg from 'pg';
import type { CatalogChange, CatalogListener } from '../catalog-changes.ts';
import { CHANGES_CHANNEL } from './pg-sql.ts';

/** How long the listener waits before connecting again after losing its connection. */
const RECONNECT_MS = 1000;

/**
 * Parses a `dmp_catalog` payload (`'<tenant>:<kind>'`); `undefined` for anything else.
 *
 * Example: `parseChange('acme:trait')` -> `{ tenant: 'acme', kind: 'trait' }`.
 */
export function parseChange(payload: string | undefined): CatalogChange | undefined {
  const at = payload?.indexOf(':') ?? -1;
  if (payload === undefined || at <= 0 || at === payload.length - 1) return undefined;
  return { tenant: payload.slice(0, at), kind: payload.slice(at + 1) };
}

/**
 * Listens on `dmp_catalog` with a connection of its own (a pooled one could be handed to a query while
 * LISTENing) and calls `onChange` for each change any process commits, its own included. A lost
 * connection is opened again after a second, and then `onChange({ tenant: '*', kind: '*' })` says that
 * changes may have been missed. Resolves once it listens, so no change committed afterwards is missed.
 *
 * Example:
 * ```ts
 * const listener = await listenForChanges({ connectionString: url }, (c) => cache.forget(c.tenant));
 * await listener.close();
 * ```
 */
export async function listenForChanges(
  config: pg.ClientConfig,
  onChange: (change: CatalogChange) => void,
): Promise<CatalogListener> {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client(config);
    next.on('notification', (message) => {
      const change = message.channel === CHANGES_CHANNEL ? parseChange(message.payload) : undefined;
      if (change && !closed) onChange(change);
    });
    const lost = (): void => {
      if (closed || client !== next) return;
      client = undefined;
      next.end().catch(() => undefined);
      timer = later();
    };
    next.on('error', lost);
    next.on('end', lost);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      client = undefined;
      await next.end().catch(() => undefined);
      throw error;
    }
  };

  // unref'd: a listener waiting to reconnect does not keep the process alive on its own
  const later = (): NodeJS.Timeout => setTimeout(() => void reconnect(), RECONNECT_MS).unref();

  const reconnect = async (): Promise<void> => {
    timer = undefined;
    if (closed) return;
    try {
      await connect();
      if (!closed) onChange({ tenant: '*', kind: '*' });
    } catch {
      if (!closed) timer = later();
    }
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
