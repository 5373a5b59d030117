import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Gvl } from '../../core/consent/index.ts';
import { geoPrecision, mayPersonaliseAds, mayReceive, mayStore, usOptOut } from '../../core/consent/index.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { ConsentGate } from '../../privacy/consent-gate.ts';

/** `/v1/consent`: decode consent strings and show every decision; look vendors up in the Global Vendor List. */
export function consentRoutes(gate: ConsentGate, gvl: Gvl): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['consent'];
    app.post(
      '/v1/consent/decode',
      {
        schema: {
          tags,
          summary: 'Decode TCF, GPP and US Privacy strings and show each consent decision',
          body: Type.Object(
            {
              gdpr: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
              tcf: Type.Optional(Type.String()),
              usp: Type.Optional(Type.String()),
              gpp: Type.Optional(Type.String()),
              gppSid: Type.Optional(Type.Array(Type.Integer())),
              gpc: Type.Optional(Type.Boolean()),
              vendorId: Type.Optional(Type.Integer({ description: 'also decide for this GVL vendor' })),
              purposes: Type.Optional(
                Type.Array(Type.Integer(), { description: 'the purposes the vendor needs' }),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const { vendorId, purposes, ...consent } = request.body;
        const state = gate.state(consent);
        return {
          state,
          decisions: {
            store: mayStore(state),
            personaliseAds: mayPersonaliseAds(state),
            geo: geoPrecision(state),
            usOptOut: usOptOut(state),
            ...(vendorId === undefined
              ? {}
              : { vendor: mayReceive(state, { vendorId, purposes: purposes ?? [1] }, gvl) }),
          },
        };
      },
    );
    app.get(
      '/v1/consent/vendors/:id',
      {
        schema: {
          tags,
          summary: 'A vendor of the Global Vendor List',
          params: Type.Object({ id: Type.Integer({ maximum: Number.MAX_SAFE_INTEGER }) }),
        },
      },
      async (request) => {
        const vendor = gvl.vendors.get(request.params.id);
        if (vendor === undefined) {
          throw new ServiceError(
            404,
            'not_found',
            `no vendor ${request.params.id} in the Global Vendor List`,
            { field: 'id' },
          );
        }
        const purposes = (ids: readonly number[]) =>
          ids.map((id) => ({ id, name: gvl.purposes.get(id)?.name ?? '' }));
        return {
          ...vendor,
          purposeNames: purposes(vendor.purposes),
          legIntPurposeNames: purposes(vendor.legIntPurposes),
        };
      },
    );
  };
}
