import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import { sql, type Db } from '@konkurs/db';
import { AppError, errorResponses } from '../../http/errors.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get('/api/health', {
    schema: {
      security: PUBLIC,
      tags: ['Служебное'], summary: 'Проверка работоспособности (с базой данных)',
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok') }), ...errorResponses(503) },
    },
  }, async (request) => {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unavailable');
      throw new AppError(503, 'database_unavailable', 'База данных недоступна.');
    }
    return { status: 'ok' as const, database: 'ok' as const };
  });
};
