// The collector's validation and enrichment: the HTTP routes (in src/api) call only what is exported here.
export { defaultLimits, type CollectLimits, type Rejection } from './collect-limits.ts';
export { parseEventBody, type ParsedBody, type BodyError } from './parse-event-body.ts';
export { validateEvent, EVENT_FIELDS } from './validate-event.ts';
export type { ValidateContext, ValidateResult } from './validate-context.ts';
export { validateBatch, type BatchResult } from './validate-batch.ts';
export { pixelToRawEvent, type PixelQuery } from './pixel-to-raw-event.ts';
export { createEnricher, type Enricher, type EnricherParts } from './enricher.ts';
export { createUserAgentParser, type UserAgentParser } from './user-agent-parser.ts';
export { openGeo, defaultGeoFiles, type GeoLookup, type GeoFiles } from './geo-lookup.ts';
export { truncateIp, ipv6Groups, mappedIpv4 } from './truncate-ip.ts';
export { urlParts, parseQuery, utmFromQuery } from './url-parts.ts';
