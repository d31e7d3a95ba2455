import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../../http/errors.ts';
import { requireRole } from '../../auth/plugin.ts';
import { correctTask, listCorrections } from './key-correction-service.ts';
import type { OlympiadMail } from '../mail.ts';
import { KeyCorrectionBody, KeyCorrectionList, KeyCorrectionResult, OlympiadParams, TaskParams } from '../schemas.ts';

const tags = ['Олимпиада: задания'];

/** The organizer corrects a task's key or voids a task after the start; every attempt is graded again. */
export const olympiadKeyCorrectionRoutes: FastifyPluginAsyncTypebox<{ db: Db; mail: OlympiadMail }> = async (
  app,
  { db, mail },
) => {
  app.post(
    '/api/olympiads/:olympiadId/tasks/:taskId/correction',
    {
      schema: {
        tags,
        summary: 'Исправить ключ задания или аннулировать задание (после начала): пересчитать все работы',
        params: TaskParams,
        body: KeyCorrectionBody,
        response: { 200: KeyCorrectionResult, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const { olympiadId, taskId } = request.params;
      return correctTask(db, olympiadId, taskId, request.body, { id: actor.id, ip: request.ip }, mail);
    },
  );

  app.get(
    '/api/olympiads/:olympiadId/corrections',
    {
      schema: {
        tags,
        summary: 'Исправления ключей и аннулированные задания',
        params: OlympiadParams,
        response: { 200: KeyCorrectionList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return listCorrections(db, request.params.olympiadId);
    },
  );
};
