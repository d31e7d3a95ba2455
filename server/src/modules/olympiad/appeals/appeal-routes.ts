import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses, trimBody } from '../../../http/errors.ts';
import { requireUser } from '../../auth/plugin.ts';
import { AppealBody, AppealDecisionBody, AppealList, AppealParams } from './appeal-schemas.ts';
import { decideAppeal, fileAppeal, listAppeals } from './appeal-service.ts';
import type { OlympiadMail } from '../mail.ts';
import { myResult } from '../results/results-service.ts';
import { MyResult, OlympiadParams } from '../schemas.ts';

const tags = ['Олимпиада: апелляции'];

export const olympiadAppealRoutes: FastifyPluginAsyncTypebox<{ db: Db; mail: OlympiadMail }> = async (
  app,
  { db, mail },
) => {
  app.post(
    '/api/olympiads/:olympiadId/appeals',
    {
      preValidation: trimBody('text'),
      schema: {
        tags,
        summary: 'Подать апелляцию по заданию своей работы',
        params: OlympiadParams,
        body: AppealBody,
        response: { 201: MyResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await fileAppeal(db, request.params.olympiadId, request.body, user, request.ip);
      reply.status(201);
      return myResult(db, request.params.olympiadId, user.id);
    },
  );

  app.get(
    '/api/olympiads/:olympiadId/appeals',
    {
      schema: {
        tags,
        summary: 'Апелляции (организатору и председателю проверяющих)',
        params: OlympiadParams,
        response: { 200: AppealList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listAppeals(db, request.params.olympiadId, requireUser(request)),
  );

  app.put(
    '/api/olympiads/:olympiadId/appeals/:appealId/decision',
    {
      preValidation: trimBody('reason'),
      schema: {
        tags,
        summary: 'Решение по апелляции: повысить, оставить или понизить баллы',
        params: AppealParams,
        body: AppealDecisionBody,
        response: { 200: AppealList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await decideAppeal(db, request.params.olympiadId, request.params.appealId, request.body, user, request.ip, mail);
      return listAppeals(db, request.params.olympiadId, user);
    },
  );
};
