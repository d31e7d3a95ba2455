import { Type, type Static } from '@sinclair/typebox';

export const OutboxMessage = Type.Object({
  id: Type.Integer(),
  to: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('kept')]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const OutboxResponse = Type.Object({ messages: Type.Array(OutboxMessage), total: Type.Integer() });
export type OutboxResponse = Static<typeof OutboxResponse>;
