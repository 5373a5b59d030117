import type { CollectedEvent } from '../core/event.ts';
import type { Rejection } from './collect-limits.ts';
import type { ParsedBody } from './parse-event-body.ts';
import type { ValidateContext } from './validate-context.ts';
import { validateEvent } from './validate-event.ts';

/** The good events of a request and the refused ones, by index, ascending. */
export interface BatchResult {
  events: CollectedEvent[];
  rejected: Rejection[];
}

/**
 * Validates and enriches every event of a parsed body, keeping the good ones when others are refused.
 * Rejections (from parsing and from validation) come out in request order.
 *
 * Example:
 * ```ts
 * const parsed = parseEventBody(body, contentType, ctx.limits);
 * if ('error' in parsed) return reply.code(parsed.tooLarge ? 413 : 400).send(...);
 * const { events, rejected } = validateBatch(parsed, ctx); // 202 if events.length > 0, else 400
 * ```
 */
export function validateBatch(parsed: ParsedBody, ctx: ValidateContext): BatchResult {
  const events: CollectedEvent[] = [];
  const rejected: Rejection[] = [];
  const { items, indexes } = parsed;
  for (let k = 0; k < items.length; k++) {
    const result = validateEvent(items[k], indexes[k] ?? k, ctx);
    if (result.ok) events.push(result.event);
    else rejected.push(result.rejection);
  }
  if (parsed.rejected.length === 0) return { events, rejected };
  return { events, rejected: [...parsed.rejected, ...rejected].sort((a, b) => a.index - b.index) };
}
