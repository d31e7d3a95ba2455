import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../../http/errors.ts';
import { requireRole, requireUser } from '../../auth/plugin.ts';
import { OlympiadParams, ParticipantParams, WorkReview, WorkSettingsBody } from '../schemas.ts';
import { myWork, participantWork, setWorkSettings } from './work-review-service.ts';

const tags = ['Олимпиада: итоги'];

/** «Показ работ»: the student's own work after publication; any student's whole work for the organizer. */
export const olympiadWorkReviewRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/olympiads/:olympiadId/results/my/work',
    {
      schema: {
        tags,
        summary: 'Показ работы: мои ответы и оценки проверяющих (без имён), после публикации',
        params: OlympiadParams,
        response: { 200: WorkReview, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => myWork(db, request.params.olympiadId, requireUser(request).id),
  );

  app.get(
    '/api/olympiads/:olympiadId/participants/:participantId/work',
    {
      schema: {
        tags,
        summary: 'Работа участника целиком: ответы, оценки каждого проверяющего, апелляции (для организатора)',
        params: ParticipantParams,
        response: { 200: WorkReview, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return participantWork(db, request.params.olympiadId, request.params.participantId);
    },
  );

  app.put(
    '/api/olympiads/:olympiadId/work-settings',
    {
      schema: {
        tags,
        summary: 'Показ работ: показывать ли участникам верные ответы и критерии',
        params: OlympiadParams,
        body: WorkSettingsBody,
        response: { 200: WorkSettingsBody, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await setWorkSettings(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
      return request.body;
    },
  );
};
