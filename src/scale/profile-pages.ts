/**
 * Paging through every profile of a scaled-out deployment (`GET /v1/profiles`): the partitions are read
 * one after another, each with its own engine's cursor, so every profile comes exactly once and a page
 * is as long as asked while any profile is left. The front's cursor names the partition and that
 * partition's cursor; it is as opaque to callers as the embedded server's.
 */
import { ServiceError } from '../core/service-error.ts';

/** One partition's page, as its engine answers `GET /v1/profiles`. */
export interface PartitionPage {
  profiles: unknown[];
  nextCursor: string | null;
}

/** Where paging goes on: the partition, and its engine's cursor (none: from its first profile). */
export interface PagePosition {
  partition: number;
  cursor: string | undefined;
}

const PREFIX = 'scale:';

/** The front's cursor for a position. */
export function encodePageCursor(at: PagePosition): string {
  return Buffer.from(`${PREFIX}${at.partition}:${at.cursor ?? ''}`).toString('base64url');
}

/** The position a front's cursor names; a cursor it did not give is a 400 saying to start again. */
export function decodePageCursor(cursor: string | undefined, partitions: number): PagePosition {
  if (cursor === undefined) return { partition: 0, cursor: undefined };
  const match = /^scale:(\d+):(.*)$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const partition = match === null ? NaN : Number(match[1]);
  if (match === null || !Number.isInteger(partition) || partition >= partitions)
    throw new ServiceError(400, 'invalid_cursor', 'cursor is not one this API gave; start again without it', {
      field: 'cursor',
    });
  return { partition, cursor: match[2] === '' ? undefined : match[2] };
}

/**
 * One page of `limit` profiles from `from` on, asking partition after partition (`read`) until the page
 * is full or none is left; `nextCursor` is null once every partition has been read to its end. A `read`
 * that answers undefined (the partition refused) ends it with undefined.
 *
 * Example: with 8 partitions, `await pageAcross(decodePageCursor(undefined, 8), 100, 8, read)` reads
 * partition 0 first, and partition 1 for the rest of the page when partition 0 has fewer than 100.
 */
export async function pageAcross(
  from: PagePosition,
  limit: number,
  partitions: number,
  read: (partition: number, cursor: string | undefined, limit: number) => Promise<PartitionPage | undefined>,
): Promise<PartitionPage | undefined> {
  const profiles: unknown[] = [];
  let at: PagePosition | undefined = from;
  while (at !== undefined && profiles.length < limit) {
    const page = await read(at.partition, at.cursor, limit - profiles.length);
    if (page === undefined) return undefined;
    profiles.push(...page.profiles);
    at =
      page.nextCursor !== null
        ? { partition: at.partition, cursor: page.nextCursor }
        : at.partition + 1 < partitions
          ? { partition: at.partition + 1, cursor: undefined }
          : undefined;
  }
  return { profiles, nextCursor: at === undefined ? null : encodePageCursor(at) };
}
