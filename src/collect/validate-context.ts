import type { CollectedEvent } from '../core/event.ts';
import type { CollectLimits, Rejection } from './collect-limits.ts';
import type { Enricher } from './enricher.ts';

/**
 * What `validateEvent` needs besides the event: the time, the bounds, who is sending, and the request's
 * own address, agent and GPC signal. Example:
 * `{ now: Date.now(), maxAgeMs: 120 * 86_400_000, maxFutureMs: 300_000, limits: defaultLimits,
 *    trusted: false, ip: req.ip, ua: req.headers['user-agent'], gpc: req.headers['sec-gpc'] === '1', enrich }`
 */
export interface ValidateContext {
  /** the time of receipt, epoch ms: the default `ts`, and the reference for the bounds below */
  now: number;
  /** the oldest accepted `ts` is `now - maxAgeMs` (the longest trait lifetime) */
  maxAgeMs: number;
  /** the latest accepted `ts` is `now + maxFutureMs` (clock skew, e.g. 5 minutes) */
  maxFutureMs: number;
  limits: CollectLimits;
  /** true for API-key (server-to-server) requests, which may also send `geo` and `device` */
  trusted: boolean;
  /** the request's address, used when the event has no `ip` */
  ip?: string;
  /** the request's User-Agent, used when the event has no `ua` */
  ua?: string;
  /** the request's `Sec-GPC: 1`, stamped on the event's consent */
  gpc?: boolean;
  enrich: Enricher;
}

/** The answer of `validateEvent`: the collected event, or why it was refused. */
export type ValidateResult = { ok: true; event: CollectedEvent } | { ok: false; rejection: Rejection };
