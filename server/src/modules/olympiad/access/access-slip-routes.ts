import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fileResponse, MEDIA } from '../../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { errorResponses, notFound } from '../../../http/errors.ts';
import { requireRole } from '../../auth/plugin.ts';
import { renderAccessSlips, type AccessSlip } from './access-slips.ts';
import { listParticipants } from '../participants/participant-service.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { OlympiadParams } from '../schemas.ts';

const tags = ['Олимпиада: участники'];
const SlipQuery = Type.Object({ school: Type.Optional(Type.String({ maxLength: 500, title: 'Школа' })) });

export const olympiadAccessSlipRoutes: FastifyPluginAsyncTypebox<{ db: Db; publicUrl: string }> = async (
  app,
  { db, publicUrl },
) => {
  app.get(
    '/api/olympiads/:olympiadId/access-slips.pdf',
    {
      schema: {
        tags,
        summary: 'Листки с кодами доступа для печати (A4, по 8 на странице, каждая школа с новой страницы)',
        params: OlympiadParams,
        querystring: SlipQuery,
        response: {
          200: fileResponse('Листы с кодами доступа (PDF)', MEDIA.pdf),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      requireRole(request, 'organizer');
      const { olympiad, participants } = await listParticipants(db, request.params.olympiadId);
      const school = request.query.school?.trim();
      const chosen = school ? participants.filter((p) => p.school === school) : participants;
      if (chosen.length === 0)
        throw notFound(school ? 'В этой школе нет участников олимпиады.' : 'Участников пока нет: загрузите список.');
      // Participants come ordered by school, class and name: the slips are grouped in that order.
      const schools: { school: string; slips: AccessSlip[] }[] = [];
      for (const p of chosen) {
        if (schools.at(-1)?.school !== p.school) schools.push({ school: p.school, slips: [] });
        schools.at(-1)!.slips.push({
          fullName: p.fullName,
          school: p.school,
          className: p.className || String(p.grade),
          accessCode: p.accessCode,
        });
      }
      const o = await getOlympiad(db, olympiad.id);
      const doc = renderAccessSlips({
        olympiad: {
          title: olympiad.title,
          windowStartAt: o.window_start_at,
          windowEndAt: o.window_end_at,
          timeLimitMinutes: o.time_limit_minutes,
          signInUrl: `${publicUrl}/code`,
        },
        schools,
      });
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="access-slips.pdf"')
        .header('cache-control', 'private, no-store');
      return reply.send(doc);
    },
  );
};
