import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { IdentitySettingsService } from '../../identity/identity-settings-service.ts';

// one JSON Schema type list rather than anyOf: with coercion on, anyOf's string branch would turn null into ''
const TypeOrNull = Type.Unsafe<string | null>({ type: ['string', 'null'] });
const EidsSources = Type.Record(Type.String(), TypeOrNull, {
  description:
    'OpenRTB eids source (a domain such as "liveramp.com") -> the ID type its IDs are kept and looked up as; ' +
    'null stops reading a default source. Not uid (our cookie), email or phone.',
  examples: [{ 'liveramp.com': 'ramp_id', 'adserver.org': null }],
});
const IdLifetimeDays = Type.Record(Type.String(), Type.Integer(), {
  description: 'ID type -> days an ID of it is kept after it was last learnt (1 to 3650)',
  examples: [{ maid: 90 }],
});
const IdCaps = Type.Record(Type.String(), Type.Integer(), {
  description: 'ID type -> the most IDs of it one profile keeps (1 to 100)',
  examples: [{ uid: 20 }],
});
const PerType = Type.Object({
  perType: Type.Record(Type.String(), Type.Integer()),
  otherwise: Type.Integer({ description: 'for an ID type not named' }),
});

const SettingsAnswer = Type.Object({
  eidsSources: EidsSources,
  idLifetimeDays: IdLifetimeDays,
  idCaps: IdCaps,
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'when the tenant last set them; null: never (the defaults apply)',
  }),
  effective: Type.Object(
    {
      eidsSources: Type.Record(Type.String(), Type.String()),
      idLifetimeDays: PerType,
      idCaps: PerType,
    },
    { description: 'what applies: the defaults with the settings merged in' },
  ),
});

const SettingsBody = Type.Object(
  {
    eidsSources: Type.Optional(EidsSources),
    idLifetimeDays: Type.Optional(IdLifetimeDays),
    idCaps: Type.Optional(IdCaps),
  },
  { additionalProperties: true, description: 'every field is optional: one left out is empty' },
);

/**
 * `GET /v1/identity/settings` and `PUT /v1/identity/settings`, with the API key: the tenant's eids
 * source -> ID type overrides, ID lifetimes and caps per type, and what applies with the defaults. A
 * `PUT` replaces all three (a field left out is empty) and is audited; bid enrichment reads the new
 * mapping at once. A bad value is a 422 problem listing every error, each naming its field
 * (`eidsSources["liveramp.com"]`, `idCaps.maid`).
 *
 * Example: `PUT /v1/identity/settings {"eidsSources": {"liveramp.com": "ramp_id"}}` -> the settings and `effective`.
 */
export function identitySettingsRoutes(identity: IdentitySettingsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['identity'];
    app.get(
      '/v1/identity/settings',
      {
        schema: {
          tags,
          summary: "The tenant's identity settings (eids sources, ID lifetimes, ID caps) and what applies",
          response: { 200: SettingsAnswer },
        },
      },
      async (request) => identity.get(request.tenant),
    );
    app.put(
      '/v1/identity/settings',
      {
        schema: {
          tags,
          summary: "Replaces the tenant's identity settings (audited); 422 names every bad field",
          body: SettingsBody,
          response: { 200: SettingsAnswer },
        },
      },
      async (request) => identity.put(request.tenant, request.body, request.actor),
    );
  };
}
