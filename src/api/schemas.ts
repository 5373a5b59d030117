import { Type } from 'typebox';

/** Request schemas: they validate requests and are the OpenAPI document's source. */

/**
 * Length limits of names and free text, so that no request stores (or echoes into an error) megabytes
 * of text: names as destinations have them, descriptions as campaigns have them.
 */
export const TEXT_LIMITS = {
  code: 64,
  name: 200,
  description: 2000,
  folder: 200,
  integrationCode: 128,
  rule: 100_000,
} as const;

/** A name: 1 to 200 characters. */
export const Name = (options: { description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: TEXT_LIMITS.name, ...options });

/** Free text: at most 2000 characters. */
export const Description = () => Type.String({ maxLength: TEXT_LIMITS.description });

const RuleSchema = Type.Union([
  Type.String({ description: 'a rule in the rule language', maxLength: TEXT_LIMITS.rule }),
  Type.Object({}, { additionalProperties: true, description: 'the rule in its JSON form' }),
]);

export const TraitBody = Type.Object(
  {
    code: Type.String({
      description: 'unique in the tenant; how rules name it (trait:CODE)',
      examples: ['pricing_visitor'],
      maxLength: TEXT_LIMITS.code,
    }),
    name: Name(),
    rule: RuleSchema,
    lifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 120 })),
    folder: Type.Optional(
      Type.String({ description: 'taxonomy folder, e.g. Site/Intent', maxLength: TEXT_LIMITS.folder }),
    ),
    source: Type.Optional(
      Type.String({
        description: 'data source code: first-party, second-party, third-party or your own',
        maxLength: TEXT_LIMITS.code,
      }),
    ),
    integrationCode: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.integrationCode })),
    description: Type.Optional(Description()),
    backfill: Type.Optional(
      Type.Boolean({ description: 'also apply the rule to the stored events of its lifetime' }),
    ),
  },
  { additionalProperties: false },
);

export const TraitPatch = Type.Partial(Type.Omit(TraitBody, ['code']), { additionalProperties: false });

export const SegmentBody = Type.Object(
  {
    code: Type.String({ examples: ['london_pricing'], maxLength: TEXT_LIMITS.code }),
    name: Name(),
    rule: RuleSchema,
    description: Type.Optional(Description()),
    integrationCode: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.integrationCode })),
  },
  { additionalProperties: false },
);

export const SegmentPatch = Type.Partial(Type.Omit(SegmentBody, ['code']), { additionalProperties: false });

export const CodeParams = Type.Object({ code: Type.String() });
export const UidParams = Type.Object({ uid: Type.String() });

export const SizeBody = Type.Object({ rule: RuleSchema }, { additionalProperties: false });
export const OverlapBody = Type.Object(
  { segments: Type.Array(Type.String(), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);

export const IdQuery = Type.Object({
  idType: Type.Optional(Type.String({ description: 'find the visitor by another ID type, e.g. maid' })),
  id: Type.Optional(Type.String()),
});

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ description: 'from the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const ExplainQuery = Type.Object({
  segment: Type.String(),
  idType: IdQuery.properties.idType,
  id: IdQuery.properties.id,
});

export const EventSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description:
          "the event's own ID: a retry with an ID already accepted is acknowledged, not stored twice",
      }),
    ),
    uid: Type.Optional(Type.String()),
    type: Type.Optional(Type.String({ description: 'event type; pageview when absent' })),
    ts: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    url: Type.Optional(Type.String()),
    referrer: Type.Optional(Type.String()),
    signals: Type.Optional(Type.Object({}, { additionalProperties: true })),
    ip: Type.Optional(Type.String()),
    ua: Type.Optional(Type.String()),
    ids: Type.Optional(Type.Object({}, { additionalProperties: Type.String() })),
    consent: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { description: 'one event (docs/api.md); uid or at least one entry of ids is required' },
);

export const EventsBody = Type.Union([EventSchema, Type.Array(EventSchema)]);
