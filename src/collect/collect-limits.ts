/**
 * Bounds on what one request and one event may carry. Every bound is checked by the collector; an event
 * over a bound is rejected with a message naming the bound, a body over a bound is refused whole.
 *
 * Example: `validateEvent(raw, 0, { ...ctx, limits: { ...defaultLimits, maxSignals: 20 } })`.
 */
export interface CollectLimits {
  /** the largest request body, in bytes */
  maxBodyBytes: number;
  /** the most events in one request (array items or NDJSON lines) */
  maxEventsPerRequest: number;
  /** the most keys in one event's `signals` */
  maxSignals: number;
  /** the longest signal key */
  maxKeyLength: number;
  /** the longest string signal value (also each string in a list) */
  maxValueLength: number;
  /** the longest `uid` or `ids` value */
  maxIdLength: number;
  /** the most entries in one event's `ids` */
  maxIds: number;
  /** the longest `url` or `referrer` */
  maxUrlLength: number;
  /** the most items in one list signal value, and in `consent.gppSid` */
  maxListLength: number;
  /** the longest `ua` an event may carry (a longer User-Agent header is cut to this before parsing) */
  maxUserAgentLength: number;
  /** the longest consent string (`tcf`, `usp`, `gpp`) */
  maxConsentLength: number;
}

/**
 * The limits used unless configured otherwise: 5 MiB bodies, 10,000 events per request, 100 signals of
 * keys up to 64 and values up to 1,024 characters, IDs up to 256 characters (at most 20 per event),
 * URLs up to 4,096 characters, lists up to 100 items, user agents up to 1,024 characters, consent
 * strings up to 8,192 characters (a TCF string with many vendors runs to a few kilobytes).
 *
 * Example: `parseEventBody(body, 'application/json', defaultLimits)`.
 */
export const defaultLimits: Readonly<CollectLimits> = Object.freeze({
  maxBodyBytes: 5 * 1024 * 1024,
  maxEventsPerRequest: 10_000,
  maxSignals: 100,
  maxKeyLength: 64,
  maxValueLength: 1024,
  maxIdLength: 256,
  maxIds: 20,
  maxUrlLength: 4096,
  maxListLength: 100,
  maxUserAgentLength: 1024,
  maxConsentLength: 8192,
});

/**
 * One event the collector refused: its position in the request (0-based) and what is wrong, where, and
 * how to fix it. Example: `{ index: 2, error: 'events[2].ts: "yesterday" is not a timestamp; ...' }`.
 */
export interface Rejection {
  index: number;
  error: string;
}
