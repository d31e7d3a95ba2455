import type { FastifyReply } from 'fastify';
import { nextTurn } from '../lib/next-turn.ts';

/** Array items serialized per turn: 1,000 rows of a results table are a few milliseconds. */
const SLICE = 1000;

/**
 * Sends a large JSON answer built in slices of its one long array (`key`), letting other requests be served between
 * them. Fastify's serializer writes the whole answer at once: for the results of 10,000 students that was 60 ms warm
 * and 200–260 ms on the first request, during which /api/health waited (`pnpm bench:scale`). The value must already
 * have the shape of the route's response schema: a Buffer is sent as it is, without the schema's serializer.
 */
export async function sendSlicedJson<T extends object>(
  reply: FastifyReply,
  value: T,
  key: keyof T & string,
): Promise<FastifyReply> {
  const list = value[key] as unknown[];
  const head = JSON.stringify({ ...value, [key]: undefined });
  const parts: string[] = [];
  for (let i = 0; i < list.length; i += SLICE) {
    if (i > 0) await nextTurn();
    parts.push(JSON.stringify(list.slice(i, i + SLICE)).slice(1, -1));
  }
  const body = `${head.slice(0, -1)}${head === '{}' ? '' : ','}${JSON.stringify(key)}:[${parts.join(',')}]}`;
  return reply.type('application/json; charset=utf-8').send(Buffer.from(body));
}
