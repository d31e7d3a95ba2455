import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { databaseProblem } from './database-check.ts';
import { databaseUnavailable, errorResponses } from '../../http/errors.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/health',
    {
      schema: {
        security: PUBLIC,
        tags: ['Служебное'],
        summary: 'Проверка работоспособности (с базой данных)',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok') }),
          ...errorResponses(503),
        },
      },
    },
    async (request) => {
      const reason = await databaseProblem(db);
      if (reason !== null) {
        request.log.warn({ reason }, 'health check: database unavailable');
        throw databaseUnavailable(reason);
      }
      return { status: 'ok' as const, database: 'ok' as const };
    },
  );
};
