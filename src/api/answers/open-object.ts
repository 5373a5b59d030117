import { Type } from 'typebox';
import type { TProperties } from 'typebox';

/**
 * An answer object for the OpenAPI document: the fields the API promises, and whatever else the
 * service adds passed through unchanged (Fastify serialises answers by their schema, so a closed object
 * would drop fields). Example: `open({ code: Type.String() }, 'a segment')`.
 */
export const open = <T extends TProperties>(properties: T, description?: string) =>
  Type.Object(properties, {
    additionalProperties: true,
    ...(description === undefined ? {} : { description }),
  });

/** Any JSON value, written out as it is (the rule's JSON form, a run's report). */
export const AnyJson = (description?: string) =>
  Type.Unknown(description === undefined ? {} : { description });

/** An ISO 8601 time, as the API writes every time: `2026-12-07T10:00:00.000Z`. */
export const Time = () => Type.String({ format: 'date-time' });
