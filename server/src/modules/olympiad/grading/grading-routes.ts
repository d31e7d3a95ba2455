import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses, trimBody } from '../../../http/errors.ts';
import { requireRole, requireUser } from '../../auth/plugin.ts';
import {
  AddGraderBody,
  GradeBody,
  GraderList,
  GraderParams,
  GradeResult,
  GradingOlympiadList,
  GradingQueue,
  GradingSettingsBody,
} from './grading-schemas.ts';
import {
  addGrader,
  gradingQueue,
  listGraders,
  myGradingOlympiads,
  putGrade,
  removeGrader,
  setGradingSettings,
} from './grading-service.ts';
import { OlympiadParams } from '../schemas.ts';

const tags = ['Олимпиада: проверка открытых ответов'];

export const olympiadGradingRoutes: FastifyPluginAsyncTypebox<{ db: Db; now: () => Date }> = async (
  app,
  { db, now },
) => {
  app.get(
    '/api/olympiads/:olympiadId/graders',
    {
      schema: {
        tags,
        summary: 'Проверяющие олимпиады (для организатора)',
        params: OlympiadParams,
        response: { 200: GraderList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return listGraders(db, request.params.olympiadId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/graders',
    {
      preValidation: trimBody('email'),
      schema: {
        tags,
        summary: 'Добавить проверяющего по электронной почте',
        params: OlympiadParams,
        body: AddGraderBody,
        response: { 200: GraderList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await addGrader(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
      return listGraders(db, request.params.olympiadId);
    },
  );

  app.delete(
    '/api/olympiads/:olympiadId/graders/:userId',
    {
      schema: {
        tags,
        summary: 'Убрать проверяющего',
        params: GraderParams,
        response: { 200: GraderList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await removeGrader(db, request.params.olympiadId, request.params.userId, { id: actor.id, ip: request.ip });
      return listGraders(db, request.params.olympiadId);
    },
  );

  app.put(
    '/api/olympiads/:olympiadId/grading-settings',
    {
      schema: {
        tags,
        summary: 'Допустимое расхождение оценок и срок апелляций',
        params: OlympiadParams,
        body: GradingSettingsBody,
        response: { 200: GraderList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await setGradingSettings(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
      return listGraders(db, request.params.olympiadId);
    },
  );

  app.get(
    '/api/grading/olympiads',
    {
      schema: {
        tags,
        summary: 'Олимпиады, где я проверяю открытые ответы, и ход проверки',
        response: { 200: GradingOlympiadList, ...errorResponses(401) },
      },
    },
    async (request) => myGradingOlympiads(db, requireUser(request).id),
  );

  app.get(
    '/api/grading/olympiads/:olympiadId/queue',
    {
      schema: {
        tags,
        summary: 'Ответы для проверки (по шифрам), мои оценки, спорные ответы (председателю)',
        params: OlympiadParams,
        response: { 200: GradingQueue, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => gradingQueue(db, request.params.olympiadId, requireUser(request).id),
  );

  app.put(
    '/api/grading/olympiads/:olympiadId/grades',
    {
      preValidation: trimBody('cipher', 'comment'),
      schema: {
        tags,
        summary: 'Оценить ответ (вслепую) или решить спорный ответ (председатель)',
        params: OlympiadParams,
        body: GradeBody,
        response: { 200: GradeResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return putGrade(db, request.params.olympiadId, request.body, { id: user.id, ip: request.ip }, now());
    },
  );
};
