import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import { auditLogPage } from './log-view.ts';
import { AuditAreaSchema, AuditLogResponse } from './schemas.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['Журнал действий'],
        summary: 'Журнал действий, новые записи первыми (для организатора)',
        querystring: Type.Object({
          area: Type.Optional(AuditAreaSchema),
          actor: Type.Optional(Type.String({ maxLength: 200, title: 'Кто (ФИО или почта)' })),
          entityId: Type.Optional(Type.String({ maxLength: 100, title: 'Объект (id)' })),
          before: Type.Optional(Type.Integer({ minimum: 1, title: 'Раньше записи' })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, title: 'Количество' }),
        }),
        response: { 200: AuditLogResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return auditLogPage(db, request.query);
    },
  );
};
