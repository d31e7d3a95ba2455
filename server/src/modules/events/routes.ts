import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import type { Db } from '@konkurs/db';
import { EventsResponse } from './schemas.ts';
import { listEvents } from './service.ts';

export const eventRoutes: FastifyPluginAsyncTypebox<{ db: Db; now: () => Date }> = async (app, { db, now }) => {
  app.get(
    '/api/events',
    {
      schema: {
        security: PUBLIC,
        tags: ['Мероприятия'],
        summary: 'Конкурсы и олимпиады с датами и этапом',
        response: { 200: EventsResponse },
      },
    },
    async () => listEvents(db, now()),
  );
};
