import { Type } from 'typebox';
import { AnyJson, open, Time } from './open-object.ts';

/** The answers of `/v1/destinations`, `/v1/runs` and `/v1/campaigns`, for the OpenAPI document. */

export const DestinationAnswer = open(
  {
    code: Type.String(),
    name: Type.String(),
    kind: Type.String({ enum: ['openrtb', 'prebid', 'gam', 'url', 'http', 'file'] }),
    idType: Type.String({ description: 'uid, maid or partner:NAME' }),
    segments: Type.Array(open({ segment: Type.String(), id: Type.String() }), {
      description: "our segment code to the destination's own segment ID",
    }),
    segtax: Type.Optional(Type.Integer()),
    consent: AnyJson('the GVL vendor ID and TCF purposes checked for every visitor'),
    settings: Type.Optional(AnyJson("the kind's settings, credentials as ***")),
  },
  'a destination (credentials masked as ***)',
);

export const RunAnswer = open(
  {
    runId: Type.String(),
    destination: Type.String(),
    campaign: Type.Optional(Type.String()),
    mode: Type.String({ enum: ['full', 'delta'] }),
    status: Type.String({ enum: ['running', 'succeeded', 'failed', 'partial', 'cancelled'] }),
    startedAt: Time(),
    finishedAt: Type.Optional(Time()),
    report: AnyJson("the runner's report: counts, funnel, files or batches"),
  },
  'a batch run',
);

export const CampaignAnswer = open(
  {
    code: Type.String(),
    name: Type.String(),
    segments: Type.Array(Type.String()),
    destinations: Type.Array(Type.String()),
    start: Time(),
    end: Time(),
    description: Type.Optional(Type.String()),
  },
  'a campaign',
);

/** A delivery funnel: for every step but the first, the previous count = count + lost + pending. */
export const FunnelAnswer = open({
  steps: Type.Array(
    open({
      step: Type.String({ enum: ['eligible', 'consented', 'hasId', 'sent', 'acknowledged'] }),
      count: Type.Integer(),
      lost: Type.Integer(),
      pending: Type.Integer(),
      reasons: Type.Array(open({ reason: Type.String(), count: Type.Integer() })),
    }),
  ),
});

export const CampaignReportAnswer = open({
  campaign: Type.String(),
  name: Type.String(),
  start: Time(),
  end: Time(),
  inFlight: Type.Boolean(),
  at: Time(),
  destinations: Type.Array(
    open({
      destination: Type.String(),
      kind: Type.Optional(Type.String({ description: 'left out when the destination was deleted' })),
      delivery: Type.String({ enum: ['realtime', 'batch'] }),
      realtime: FunnelAnswer,
      batch: open({ runs: Type.Integer(), funnel: FunnelAnswer }),
      total: FunnelAnswer,
    }),
  ),
});

export const CampaignRunsAnswer = open({
  campaign: Type.String(),
  runs: Type.Array(
    open({
      destination: Type.String(),
      run: Type.Optional(
        AnyJson('the run as started (`runId`, `status`, ...), as `GET /v1/runs/{id}` answers it'),
      ),
      error: Type.Optional(Type.String({ description: 'why the run of this destination did not start' })),
    }),
  ),
});
