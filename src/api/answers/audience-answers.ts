import { Type } from 'typebox';
import { AnyJson, open, Time } from './open-object.ts';

/** The answers of `/v1/traits`, `/v1/segments` and `/v1/audience`, for the OpenAPI document. */

export const TraitAnswer = open(
  {
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    kind: Type.String({ enum: ['rule', 'onboarded', 'third-party', 'algorithmic'] }),
    rule: Type.String({ description: 'the rule text; empty for traits that are not rule-based' }),
    ruleJson: AnyJson('the rule in its JSON form'),
    lifetimeDays: Type.Integer(),
    folder: Type.String(),
    source: Type.String({ description: "the data source's code" }),
    integrationCode: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    versions: Type.Array(AnyJson(), { description: 'the versions in force, oldest first' }),
    createdAt: Time(),
    updatedAt: Time(),
  },
  'a trait',
);

export const SegmentAnswer = open(
  {
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    rule: Type.String(),
    ruleJson: AnyJson('the rule in its JSON form'),
    description: Type.Optional(Type.String()),
    integrationCode: Type.Optional(Type.String()),
    createdAt: Time(),
    updatedAt: Time(),
    traits: Type.Array(Type.String(), { description: 'the traits the rule uses, through segments too' }),
    sources: Type.Array(Type.String(), { description: 'the data sources of those traits' }),
    labels: Type.Array(Type.String(), { description: "the sources' export-control labels" }),
  },
  'a segment with the traits, data sources and labels behind it',
);

export const SizeAnswer = open({
  size: Type.Integer(),
  exact: Type.Boolean(),
  asOf: Time(),
});

export const OverlapAnswer = open({
  segments: Type.Array(Type.String()),
  sizes: Type.Array(Type.Integer()),
  overlap: Type.Array(Type.Array(Type.Integer()), {
    description: '`overlap[i][j]`: profiles in both segment i and segment j; the diagonal is the sizes',
  }),
});

export const TrendAnswer = open({
  segment: Type.String(),
  days: Type.Integer(),
  asOf: Time(),
  points: Type.Array(
    open({ date: Type.String({ description: 'a UTC day, YYYY-MM-DD' }), size: Type.Integer() }),
    { description: 'oldest first; days without a recorded size are left out; the last is today, exact now' },
  ),
});

export const InsightsAnswer = open({
  segment: Type.String(),
  size: Type.Integer(),
  minCount: Type.Integer(),
  asOf: Time(),
  population: Type.Integer({ description: 'live profiles: the base the population shares are of' }),
  traits: Type.Array(
    open({
      trait: Type.String(),
      count: Type.Integer({ description: 'profiles in the segment holding the trait' }),
      holders: Type.Integer({ description: 'live profiles holding the trait' }),
      share: Type.Number({ description: "count / the segment's size" }),
      populationShare: Type.Number({ description: 'holders of the trait / live profiles' }),
      index: Type.Number({ description: 'share / populationShare * 100 (100: as common as everywhere)' }),
    }),
  ),
});
