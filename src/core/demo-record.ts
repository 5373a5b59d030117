/**
 * One day of the standard data set (docs/performance.md) as the event log holds it: not the events themselves
 * but what makes them, since the generator gives the same events for the same options (ADR 0016).
 * Applying the record draws the day's events again, validates them as a trusted `POST /v1/events`
 * would, and qualifies them in order: the profiles come out as if every event had been ingested.
 *
 * Example:
 * `{ kind: 'demo', tenant: 'bench', spec: { profiles: 10000000, days: 90, seed: 1, now: 1795968000000 },
 *    day: 17, maxAgeMs: 31536000000, except: [4711] }`
 */
export interface DemoRecord {
  kind: 'demo';
  tenant: string;
  /** the generator's options (`generateDemo`): `now` is when the data set was made */
  spec: DemoSpec;
  /** which day of the data set, `0 .. spec.days - 1`: the events `batches` gives for that day */
  day: number;
  /** events older than `spec.now - maxAgeMs` are refused, as collection refused them then */
  maxAgeMs: number;
  /**
   * generated profiles (by number) deleted since: their events are left out. A deletion rewrites the
   * record with the visitor's number added, so a replay never brings the visitor back and no ID of theirs
   * is written to the log.
   */
  except?: number[];
}

/** The options that decide the standard data set's events. */
export interface DemoSpec {
  profiles: number;
  days: number;
  seed: number;
  now: number;
}
