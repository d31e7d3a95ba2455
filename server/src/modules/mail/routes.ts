import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { OutboxResponse } from './schemas.ts';
import { sql, type Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import { SENSITIVE_BODY_REMOVED } from './outbox.ts';

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
      const { to, offset, limit } = request.query;
      let query = db.selectFrom('mail_outbox');
      if (to?.trim()) query = query.where('to_address', '=', to.trim().toLowerCase());
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
        query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
      ]);
      return {
        total: count.total,
        messages: rows.map((m) => ({
          // Without a mail server the outbox is how a letter reaches its addressee, so even a one-time link is shown;
          // a letter handed to a mail server keeps its link to the addressee.
          id: Number(m.id),
          to: m.to_address,
          subject: m.subject,
          body: m.sensitive && m.status !== 'kept' ? SENSITIVE_BODY_REMOVED : m.body,
          status: m.status,
          attempts: m.attempts,
          lastError: m.last_error,
          createdAt: m.created_at.toISOString(),
          sentAt: m.sent_at ? m.sent_at.toISOString() : null,
        })),
      };
    },
  );
};
