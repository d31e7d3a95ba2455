import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole, requireUser } from '../auth/plugin.ts';
import { createOlympiad, getOlympiadDetail, myOlympiads, updateOlympiad } from './olympiad-service.ts';
import { MyOlympiadList, OlympiadBody, OlympiadParams, OlympiadResponse } from './schemas.ts';

const tags = ['Олимпиада'];

/** The organizer creates an olympiad and edits its title, description, grades, window and time limit. */
export const olympiadRoutes: FastifyPluginAsyncTypebox<{ db: Db; now: () => Date }> = async (app, { db, now }) => {
  app.post(
    '/api/olympiads',
    {
      schema: {
        tags,
        summary: 'Создать олимпиаду',
        body: OlympiadBody,
        response: { 201: OlympiadResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, 'organizer');
      const olympiad = await createOlympiad(db, request.body, { id: actor.id, ip: request.ip }, now());
      reply.status(201);
      return { olympiad };
    },
  );

  app.get(
    '/api/olympiads/mine',
    {
      schema: {
        tags,
        summary: 'Мои олимпиады: где вошедший — участник, и что с его работой',
        response: { 200: MyOlympiadList, ...errorResponses(401) },
      },
    },
    async (request) => myOlympiads(db, requireUser(request).id),
  );

  app.get(
    '/api/olympiads/:olympiadId',
    {
      schema: {
        tags,
        summary: 'Основные сведения и сроки олимпиады (для организатора)',
        params: OlympiadParams,
        response: { 200: OlympiadResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return { olympiad: await getOlympiadDetail(db, request.params.olympiadId) };
    },
  );

  app.put(
    '/api/olympiads/:olympiadId',
    {
      schema: {
        tags,
        summary:
          'Изменить олимпиаду (после начала работы участников — только название, описание и более позднее окончание)',
        params: OlympiadParams,
        body: OlympiadBody,
        response: { 200: OlympiadResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      return {
        olympiad: await updateOlympiad(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip }),
      };
    },
  );
};
