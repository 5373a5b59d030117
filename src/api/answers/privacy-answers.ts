import { Type } from 'typebox';
import { AnyJson, open, Time } from './open-object.ts';

/** The answers of the profile and privacy routes, for the OpenAPI document. */

export const ExplainAnswer = open({
  uid: Type.String(),
  segment: Type.String(),
  asOf: Type.Union([Time(), Type.Null()]),
  explanation: AnyJson('the rule, node by node: `result`, what it saw, and its `children`'),
});

export const DeletionReceiptAnswer = open({
  requestId: Type.String(),
  uid: Type.String(),
  deleted: Type.Boolean(),
  removed: open({
    profile: Type.Integer(),
    ids: Type.Integer(),
    realisations: Type.Integer(),
    segmentMemberships: Type.Integer(),
    rawEvents: Type.Integer(),
  }),
  at: Time(),
});

export const OptOutAnswer = open({
  optedOut: Type.Boolean(),
  new: Type.Boolean({ description: 'false when the ID was opted out before' }),
  profileDeleted: Type.Boolean(),
  deletion: Type.Union([DeletionReceiptAnswer, Type.Null()]),
});

export const VisitorExportAnswer = open({
  exportedAt: Type.Union([Time(), Type.Null()]),
  profile: open({
    uid: Type.String(),
    ids: AnyJson(),
    traits: AnyJson(),
    segments: Type.Array(Type.String()),
  }),
  realisations: Type.Array(
    open({ trait: Type.String(), times: Type.Array(Type.Union([Time(), Type.Null()])) }),
  ),
  consent: AnyJson('the consent received and as decoded, or null'),
  events: Type.Array(AnyJson(), { description: "the visitor's raw events, with their log sequence" }),
  idLinks: Type.Array(AnyJson(), { description: 'the rows of ID-link files that name the visitor' }),
});
