import { Type } from 'typebox';

/** Request schemas: they validate requests and are the OpenAPI document's source. */

const RuleSchema = Type.Union([
  Type.String({ description: 'a rule in the language of DSL.md' }),
  Type.Object({}, { additionalProperties: true, description: 'the rule in its JSON form' }),
]);

export const TraitBody = Type.Object(
  {
    code: Type.String({
      description: 'unique in the tenant; how rules name it (trait:CODE)',
      examples: ['pricing_visitor'],
    }),
    name: Type.String({ minLength: 1 }),
    rule: RuleSchema,
    lifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 120 })),
    folder: Type.Optional(Type.String({ description: 'taxonomy folder, e.g. Site/Intent' })),
    source: Type.Optional(
      Type.String({ description: 'data source code: first-party, second-party, third-party or your own' }),
    ),
    integrationCode: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    backfill: Type.Optional(
      Type.Boolean({ description: 'also apply the rule to the stored events of its lifetime' }),
    ),
  },
  { additionalProperties: false },
);

export const TraitPatch = Type.Partial(Type.Omit(TraitBody, ['code']), { additionalProperties: false });

export const SegmentBody = Type.Object(
  {
    code: Type.String({ examples: ['london_pricing'] }),
    name: Type.String({ minLength: 1 }),
    rule: RuleSchema,
    description: Type.Optional(Type.String()),
    integrationCode: Type.Optional(Type.String()),
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

export const ExplainQuery = Type.Object({ segment: Type.String() });

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
  { description: 'one event (API.md); uid or at least one entry of ids is required' },
);

export const EventsBody = Type.Union([EventSchema, Type.Array(EventSchema)]);
