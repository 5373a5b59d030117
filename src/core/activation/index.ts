/**
 * Activation, the pure core: destinations and their checks, export controls, OpenRTB bid enrichment,
 * Prebid and Google Ad Manager targeting, pixel macros, batch runs (IDs, deltas, rows, manifests,
 * retries) and the delivery funnel. No I/O, no clock: time is passed in. See README.md.
 *
 * Example:
 * ```ts
 * const read = readBidRequest(body);
 * if (read.ok) {
 *   const verdict = visitorActivation(destination, memberOf, decodeConsent(read.consent), gvl);
 *   if (verdict.ok && verdict.eligible) {
 *     const { segmentIds, segtax } = verdict.mapped;
 *     return enrichBidRequest(read.request, userDataEntry(host, segmentIds, segtax));
 *   }
 * }
 * ```
 */
export type {
  Destination,
  DestinationBase,
  DestinationKind,
  DestinationUses,
  ExportColumn,
  ExportColumnSource,
  ExportFormat,
  FileSettings,
  GamSettings,
  HttpSettings,
  SegmentMapping,
  UrlSettings,
} from './destination.ts';
export { DESTINATION_KINDS, EXPORT_COLUMN_SOURCES } from './destination.ts';
export type { FieldError } from './field-errors.ts';
export type { DestinationContext, DestinationResult } from './parse-destination.ts';
export { parseDestination } from './parse-destination.ts';
export type { ExportConflict, SegmentLineage } from './export-controls.ts';
export { exportControlConflicts, refusedLabels } from './export-controls.ts';
export type { MappedSegments } from './map-segments.ts';
export { mapSegments } from './map-segments.ts';
export type { VisitorActivation, VisitorProfileIds } from './visitor-activation.ts';
export { idFor, visitorActivation } from './visitor-activation.ts';
export type { BidRequest, BidRequestRead, VisitorIds } from './read-bid-request.ts';
export { readBidRequest } from './read-bid-request.ts';
export type { Eid, SkippedEntries } from './read-eids.ts';
export { deviceIdOf } from './read-eids.ts';
export type { UserDataEntry } from './enrich-bid-request.ts';
export { enrichBidRequest, userDataEntry } from './enrich-bid-request.ts';
export { spliceUserData } from './splice-user-data.ts';
export { prebidUserData } from './prebid-user-data.ts';
export type { GamEntry, GamKeyValues } from './gam-key-values.ts';
export { GAM_LIMITS, gamKeyValues, gamProblem } from './gam-key-values.ts';
export type { MacroValues } from './expand-macros.ts';
export { expandMacros } from './expand-macros.ts';
export type { DeliveryOutcome, RetryDecision, RetryPolicy } from './backoff-delay.ts';
export { backoffDelayMs, retryDecision } from './backoff-delay.ts';
export { batchId, splitBatches } from './batch-id.ts';
export type { Delta } from './delta-of.ts';
export { deltaOf } from './delta-of.ts';
export type { ExportRow, RowFormat } from './format-rows.ts';
export { csvField, formatRows } from './format-rows.ts';
export type { ExportManifest, ManifestFile } from './export-manifest.ts';
export { exportFileNames, exportManifest } from './export-manifest.ts';
export type { FunnelReport, FunnelStep, FunnelStepReport, LossStep } from './funnel.ts';
export { Funnel, FUNNEL_STEPS } from './funnel.ts';
