import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireUser } from '../auth/plugin.ts';
import { AnswerSaver } from './answer-saver.ts';
import { attemptView, explainRefusedSave, finishAttempt, myOlympiad, startAttempt } from './attempt-service.ts';
import { AnswerParams, AttemptParams, AttemptView, MyOlympiad, OlympiadParams, SaveAnswerBody, SavedAnswer } from './schemas.ts';

const tags = ['Олимпиада: работа участника'];

/** The student's side: every route answers about the signed-in student's own attempt only. */
export const olympiadAttemptRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const saver = new AnswerSaver(db);

  app.get('/api/olympiads/:olympiadId/my', {
    schema: { tags, summary: 'Олимпиада для вошедшего участника: можно ли начать, идёт ли работа', params: OlympiadParams, response: { 200: MyOlympiad, ...errorResponses(400, 401, 404) } },
  }, async (request) => myOlympiad(db, request.params.olympiadId, requireUser(request)));

  app.post('/api/olympiads/:olympiadId/attempt', {
    schema: { tags, summary: 'Начать работу (или продолжить уже начатую)', params: OlympiadParams, response: { 200: AttemptView, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request) => startAttempt(db, request.params.olympiadId, requireUser(request), request.ip));

  app.get('/api/attempts/:attemptId', {
    schema: { tags, summary: 'Работа участника: задания без ключей, сохранённые ответы, срок', params: AttemptParams, response: { 200: AttemptView, ...errorResponses(400, 401, 404) } },
  }, async (request) => attemptView(db, request.params.attemptId, requireUser(request)));

  app.put('/api/attempts/:attemptId/answers/:taskId', {
    schema: {
      tags, summary: 'Сохранить ответ на задание (идемпотентно; более старое сохранение не перезапишет новое)',
      params: AnswerParams, body: SaveAnswerBody, response: { 200: SavedAnswer, ...errorResponses(400, 401, 404, 409, 503) },
    },
  }, async (request) => {
    const user = requireUser(request);
    const { attemptId, taskId } = request.params;
    const outcome = await saver.save({ attemptId, taskId, userId: user.id, answer: request.body.answer, seq: request.body.seq });
    if (!outcome.saved) throw await explainRefusedSave(db, attemptId, taskId, user);
    return { taskId, seq: outcome.seq, savedAt: outcome.savedAt.toISOString() };
  });

  app.post('/api/attempts/:attemptId/finish', {
    schema: { tags, summary: 'Завершить работу досрочно', params: AttemptParams, response: { 200: AttemptView, ...errorResponses(400, 401, 404) } },
  }, async (request) => finishAttempt(db, request.params.attemptId, requireUser(request), request.ip));
};
