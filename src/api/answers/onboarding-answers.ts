import { Type } from 'typebox';
import { open, Time } from './open-object.ts';

/** The answers of `/v1/onboarding`, for the OpenAPI document. */

export const JobReportAnswer = open(
  {
    job: Type.String(),
    source: Type.String(),
    mode: Type.String({ enum: ['full', 'delta'] }),
    format: Type.String({ enum: ['csv', 'ndjson'] }),
    idType: Type.String(),
    status: Type.String({ enum: ['queued', 'running', 'succeeded', 'failed'] }),
    createdAt: Time(),
    finishedAt: Type.Union([Time(), Type.Null()]),
    bytes: Type.Integer(),
    bytesDone: Type.Integer(),
    chunks: Type.Integer(),
    rows: open({
      read: Type.Integer(),
      accepted: Type.Integer(),
      rejected: Type.Integer(),
      optedOut: Type.Integer(),
    }),
    realisations: Type.Integer(),
    errorCounts: Type.Record(Type.String(), Type.Integer(), { description: 'refused rows by reason' }),
    errors: Type.Array(
      open({
        row: Type.Integer({ description: 'the line of the file; the header is row 1' }),
        column: Type.String(),
        reason: Type.String(),
        message: Type.String(),
        fix: Type.String(),
      }),
      { description: 'the first refused rows, each with how to fix it' },
    ),
    failure: Type.Optional(Type.String()),
  },
  'an onboarding job: progress, counts and row errors',
);
