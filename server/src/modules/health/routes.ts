import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import { connectionErrorReason, isConnectionError, sql, type Db } from '@konkurs/db';
import { databaseUnavailable, errorResponses } from '../../http/errors.ts';

/** A database that takes longer than this for `select 1` is reported unavailable: a load balancer must not wait on it. */
export const HEALTH_TIMEOUT_MS = 3000;

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
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(
          () => resolve(`база данных не ответила за ${HEALTH_TIMEOUT_MS / 1000} с`),
          HEALTH_TIMEOUT_MS,
        );
      });
      const check = sql`select 1`.execute(db).then(
        () => null,
        (error: unknown) =>
          isConnectionError(error)
            ? connectionErrorReason(error)
            : `база данных ответила ошибкой: ${error instanceof Error ? error.message : String(error)}`,
      );
      const reason = await Promise.race([check, timeout]).finally(() => clearTimeout(timer));
      if (reason !== null) {
        request.log.warn({ reason }, 'health check: database unavailable');
        throw databaseUnavailable(reason);
      }
      return { status: 'ok' as const, database: 'ok' as const };
    },
  );
};
