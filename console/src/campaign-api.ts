import type { FunnelStep } from './api.ts';

/**
 * A campaign as `GET /v1/campaigns` and `GET /v1/campaigns/{code}` answer it: segments sent to
 * destinations for a flight (`start <= now < end`, ISO 8601 date-times with a time zone).
 *
 * Example: `{ code: 'xmas', name: 'Christmas', segments: ['fans'], destinations: ['ssp'], start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' }`
 */
export interface Campaign {
  code: string;
  name: string;
  segments: string[];
  destinations: string[];
  start: string;
  end: string;
  description?: string;
}

/** A funnel as the campaign report holds it. */
export interface Funnel {
  steps: FunnelStep[];
}

/** One destination of `GET /v1/campaigns/{code}/report`: real-time counts, batch runs summed, both together. */
export interface DestinationDelivery {
  destination: string;
  /** absent when the destination was deleted after the campaign was saved */
  kind?: string;
  delivery: 'realtime' | 'batch';
  realtime: Funnel;
  batch: { runs: number; funnel: Funnel };
  total: Funnel;
}

/** `GET /v1/campaigns/{code}/report`. */
export interface CampaignReport {
  campaign: string;
  name: string;
  start: string;
  end: string;
  inFlight: boolean;
  at: string;
  destinations: DestinationDelivery[];
}

/** What `POST /v1/campaigns/{code}/run` answers: a run started per batch destination, or why not. */
export interface CampaignRuns {
  campaign: string;
  runs: { destination: string; run?: { runId: string; status: string }; error?: string }[];
}

/** A campaign's page address. Example: `campaignHref('xmas')` -> `'#/campaigns/xmas'` */
export function campaignHref(code: string): string {
  return `#/campaigns/${encodeURIComponent(code)}`;
}
