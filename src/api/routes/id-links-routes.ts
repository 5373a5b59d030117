import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { LinkFileFormat } from '../../core/identity/index.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { IdLinksService } from '../../identity/id-links-service.ts';
import { readBody } from '../read-body.ts';

/** The largest link file taken, once decompressed: it is read whole (about 280,000 rows of crm,email_sha256,maid). */
export const MAX_LINK_FILE_BYTES = 32 * 1024 * 1024;

const FORMATS: Readonly<Record<string, LinkFileFormat>> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
};

const LinksAnswer = Type.Object({
  rows: Type.Integer({ description: 'data rows read (blank lines not counted)' }),
  linked: Type.Integer({
    description: 'rows whose IDs now stand on one visitor that held at least one of them',
  }),
  merged: Type.Integer({ description: 'profiles merged into another (a row joining three counts 2)' }),
  unmatched: Type.Integer({ description: 'rows none of whose IDs a profile holds: no profile is made' }),
  skipped: Type.Integer({ description: 'rows with fewer than two IDs, or holding an opted-out ID' }),
  rejected: Type.Integer({
    description: 'rows with a bad cell, a broken quote or the wrong number of fields',
  }),
  errors: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'the header is row 1' }),
      column: Type.String({ description: "the cell's ID type; empty for the whole row" }),
      error: Type.String({ description: 'what is wrong and how to fix it' }),
    }),
    { description: 'the first 100 rejected rows' },
  ),
});

/**
 * `POST /v1/identity/links`, with the API key: an ID-link file (a match table) as the body, CSV
 * (`text/csv`) or TSV (`text/tab-separated-values`), optionally gzip or deflate (`Content-Encoding`),
 * at most `MAX_LINK_FILE_BYTES` once decompressed. The header names 2 to 8 ID types; each row's IDs are
 * one visitor. Answers 200 with the counts once every row is durable and applied (`IdLinksService`);
 * 422 for a header that cannot be read, 415 for another content type, 413 for a larger file.
 *
 * Example: `curl -X POST /v1/identity/links -H 'content-type: text/csv' --data-binary @links.csv` -> `{ rows, linked, merged, ... }`.
 */
export function idLinksRoutes(links: IdLinksService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // read here, whole, by `readBody` (gzip, the size limit): the parser hands the stream on
    app.addContentTypeParser(Object.keys(FORMATS), (_request, payload, done) => {
      done(null, payload);
    });
    app.post(
      '/v1/identity/links',
      {
        schema: {
          tags: ['identity'],
          summary: 'Link IDs from a file: each row of a CSV or TSV match table is one visitor',
          description:
            'The body is the file (text/csv or text/tab-separated-values; Content-Encoding gzip or deflate allowed; at most 32 MiB decompressed). ' +
            'Its header names 2 to 8 ID types (crm,email_sha256,maid); each row asserts its IDs are one visitor. ' +
            'Profiles holding any of a row’s IDs are merged, and its other IDs attached; a row whose IDs no profile holds makes none. ' +
            'Empty cells are allowed; a row with fewer than two IDs, or an opted-out ID, is skipped; a row with a bad cell is rejected with its row and column, the others applied. ' +
            'The answer comes once every row is durable and applied.',
          response: { 200: LinksAnswer },
        },
      },
      async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const format = FORMATS[type];
        if (format === undefined || !isReadable(request.body)) {
          throw new ServiceError(
            415,
            'unsupported_media_type',
            'send the file as the body with content-type text/csv or text/tab-separated-values',
            { field: 'content-type' },
          );
        }
        const bytes = await readBody(request.body, request.headers, MAX_LINK_FILE_BYTES);
        return links.link(request.tenant, bytes.toString('utf8'), format, request.actor);
      },
    );
  };
}

function isReadable(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
}
