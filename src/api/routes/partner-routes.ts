import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PartnerService } from '../../identity/partner-service.ts';
import { CodeParams } from '../schemas.ts';

const fields = {
  code: Type.String({
    description:
      "the partner's code: 1 to 32 of a-z, 0-9 and _, not a built-in ID type; its IDs are kept under this ID type",
    examples: ['ssp_a'],
  }),
  name: Type.String({ description: '1 to 128 characters', examples: ['SSP A'] }),
  syncUrl: Type.String({
    description:
      "the partner's sync URL (https:// or http://, at most 2048 characters) with macros ${GDPR}, ${GDPR_CONSENT_<vendorId>}, ${US_PRIVACY}, ${GPP}, ${GPP_SID}, ${UID} (our visitor ID) and ${REDIRECT} (our /setuid URL, URL-encoded)",
    examples: [
      'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&us_privacy=${US_PRIVACY}&gpp=${GPP}&gpp_sid=${GPP_SID}&redir=${REDIRECT}',
    ],
  }),
  type: Type.Union([Type.Literal('redirect'), Type.Literal('iframe')], {
    description: 'redirect: the page loads the URL as an image; iframe: as an iframe',
  }),
  vendorId: Type.Integer({
    minimum: 1,
    maximum: 65535,
    description:
      "the partner's IAB GVL vendor ID; without one the partner is never synced where GDPR applies (PATCH with null removes it)",
  }),
  resyncDays: Type.Integer({
    minimum: 1,
    maximum: 365,
    default: 14,
    description: 'sync again after this many days',
  }),
  idLifetimeDays: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 90,
    description: "days the partner's IDs are kept; not shorter than resyncDays",
  }),
  uidMacro: Type.String({
    default: '$UID',
    description: 'what the partner replaces with its user ID in our redirect: $UID, [UID], {uid}, ...',
  }),
};

const PartnerBody = Type.Object(
  {
    code: fields.code,
    name: fields.name,
    syncUrl: fields.syncUrl,
    type: fields.type,
    vendorId: Type.Optional(fields.vendorId),
    resyncDays: Type.Optional(fields.resyncDays),
    idLifetimeDays: Type.Optional(fields.idLifetimeDays),
    uidMacro: Type.Optional(fields.uidMacro),
  },
  { additionalProperties: false },
);

const PartnerPatch = Type.Object(
  {
    name: Type.Optional(fields.name),
    syncUrl: Type.Optional(fields.syncUrl),
    type: Type.Optional(fields.type),
    vendorId: Type.Optional(Type.Union([fields.vendorId, Type.Null()])),
    resyncDays: Type.Optional(fields.resyncDays),
    idLifetimeDays: Type.Optional(fields.idLifetimeDays),
    uidMacro: Type.Optional(fields.uidMacro),
  },
  { additionalProperties: false },
);

const Partner = Type.Object({
  code: Type.String(),
  name: Type.String(),
  syncUrl: Type.String(),
  type: fields.type,
  vendorId: Type.Optional(Type.Integer()),
  resyncDays: Type.Integer(),
  idLifetimeDays: Type.Integer(),
  uidMacro: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/**
 * The body schemas document the partner in the OpenAPI document; the partner service checks it
 * (`checkSyncPartner`: every error at once, each with its field, a 422 `invalid_partner`), so the
 * request validator lets bodies through as sent (no type coercion, no defaults filled in).
 */
const asSent = () => () => true;

/**
 * `/v1/partners`, with the API key: the tenant's ID-sync partners (issue 15). Every change is audited.
 *
 * Example: `POST /v1/partners {"code": "ssp_a", "name": "SSP A", "type": "redirect", "vendorId": 755,
 * "syncUrl": "https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&redir=${REDIRECT}"}` -> 201 the partner.
 */
export function partnerRoutes(partners: PartnerService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['identity'];
    app.get(
      '/v1/partners',
      {
        schema: {
          tags,
          summary: "The tenant's ID-sync partners, by code",
          response: { 200: Type.Object({ partners: Type.Array(Partner) }) },
        },
      },
      async (request) => ({ partners: await partners.list(request.tenant) }),
    );
    app.post(
      '/v1/partners',
      {
        validatorCompiler: asSent,
        schema: {
          tags,
          summary: 'Add an ID-sync partner (checked whole: 422 invalid_partner lists every error by field)',
          body: PartnerBody,
          response: { 201: Partner },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await partners.create(request.tenant, request.body as unknown, request.actor)),
    );
    app.get(
      '/v1/partners/:code',
      {
        schema: { tags, summary: 'Read an ID-sync partner', params: CodeParams, response: { 200: Partner } },
      },
      async (request) => partners.get(request.tenant, request.params.code),
    );
    app.patch(
      '/v1/partners/:code',
      {
        validatorCompiler: asSent,
        schema: {
          tags,
          summary: 'Change some fields of an ID-sync partner (the result is checked whole; the code stays)',
          params: CodeParams,
          body: PartnerPatch,
          response: { 200: Partner },
        },
      },
      async (request) =>
        partners.update(request.tenant, request.params.code, request.body as unknown, request.actor),
    );
    app.delete(
      '/v1/partners/:code',
      { schema: { tags, summary: 'Delete an ID-sync partner (no more syncs with it)', params: CodeParams } },
      async (request, reply) => {
        await partners.remove(request.tenant, request.params.code, request.actor);
        return reply.code(204).send();
      },
    );
  };
}
