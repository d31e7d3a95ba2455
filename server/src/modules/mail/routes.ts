import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { OutboxResponse } from './schemas.ts';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import { listOutbox } from './outbox-view.ts';

export const mailRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/mail/outbox',
    {
      schema: {
        tags: ['Почта'],
        summary: 'Исходящие письма (для организатора)',
        querystring: Type.Object({
          to: Type.Optional(Type.String({ maxLength: 254, title: 'Адресат' })),
          offset: Type.Integer({ minimum: 0, default: 0, title: 'Смещение' }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, title: 'Количество' }),
        }),
        response: { 200: OutboxResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return listOutbox(db, request.query);
    },
  );
};
