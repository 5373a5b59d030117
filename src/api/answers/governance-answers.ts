import { Type } from 'typebox';
import { open, Time } from './open-object.ts';

/** The answers of `/v1/sources`, for the OpenAPI document. */

export const DataSourceAnswer = open({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  party: Type.String({ enum: ['first', 'second', 'third'] }),
  labels: Type.Array(Type.String(), { description: 'export-control labels' }),
  createdAt: Time(),
});
