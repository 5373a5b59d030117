import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TraitService } from '../../traits/trait-service.ts';
import { iabAudienceTaxonomy } from '../../traits/iab-audience-taxonomy.ts';
import { browseTaxonomy } from '../../traits/taxonomy-browse.ts';

/** The longest search `GET /v1/taxonomy` takes. */
export const TAXONOMY_QUERY_LIMIT = 200;

const Match = Type.Boolean({ description: 'true when the search matched it (false without a search)' });

const TraitEntry = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'rule, onboarded, third-party or algorithmic' }),
  match: Match,
});

const TaxonomyAnswer = Type.Object({
  q: Type.String({ description: "the search applied (trimmed); '' lists everything" }),
  matches: Type.Integer({ description: 'folders, traits and IAB nodes the search matched (0 without one)' }),
  folders: Type.Array(
    Type.Object({
      path: Type.String({ description: 'e.g. Site/Intent' }),
      name: Type.String({ description: 'the last segment, e.g. Intent' }),
      parent: Type.String({ description: "the parent folder's path; '' for a top folder" }),
      match: Match,
      traits: Type.Array(TraitEntry, { description: 'the traits filed directly in this folder, by code' }),
    }),
    { description: "the tenant's trait folders (from each trait's folder), parents first, by path" },
  ),
  unfiled: Type.Array(TraitEntry, { description: 'the traits with no folder' }),
  iab: Type.Object({
    name: Type.String(),
    total: Type.Integer({ description: 'nodes in the whole taxonomy (1558)' }),
    nodes: Type.Array(
      Type.Object({
        id: Type.String({ description: 'the Unique ID' }),
        parent: Type.String({ description: "the parent's ID; '' for a top node" }),
        name: Type.String({ description: 'the condensed name, e.g. Demographic | Age Range | 18-20' }),
        match: Match,
      }),
      { description: 'in the taxonomy file order: every parent before its children' },
    ),
  }),
});

/**
 * `GET /v1/taxonomy[?q=...]`: the IAB Audience Taxonomy 1.1 and the tenant's trait folders; with `q`, only
 * what matches it (any case: IAB names and exact IDs, folder paths, trait codes and names), what lies under
 * each match and the path down to it.
 *
 * Example: `GET /v1/taxonomy?q=18-20` -> `{"q":"18-20","matches":1,"folders":[],"unfiled":[],"iab":{"name":"IAB Tech Lab Audience Taxonomy 1.1","total":1558,"nodes":[{"id":"1","parent":"","name":"Demographic","match":false},{"id":"2",...},{"id":"3","parent":"2","name":"Demographic | Age Range | 18-20","match":true}]}}`
 */
export function taxonomyRoutes(traits: TraitService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/taxonomy',
      {
        schema: {
          tags: ['traits'],
          summary: "The IAB Audience Taxonomy 1.1 and the tenant's trait folders, or what matches a search",
          querystring: Type.Object(
            {
              q: Type.Optional(
                Type.String({
                  maxLength: TAXONOMY_QUERY_LIMIT,
                  description: `search (any case, at most ${TAXONOMY_QUERY_LIMIT} characters): IAB node names and IDs, folder paths, trait codes and names`,
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: TaxonomyAnswer },
        },
      },
      async (request) =>
        browseTaxonomy(await traits.list(request.tenant), iabAudienceTaxonomy(), request.query.q),
    );
  };
}
