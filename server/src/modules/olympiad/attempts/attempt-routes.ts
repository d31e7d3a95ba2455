import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isConnectionError, type Db } from '@konkurs/db';
import { AppError, errorResponses, unauthorized } from '../../../http/errors.ts';
import { requireUser } from '../../auth/plugin.ts';
import { hashSecret, SESSION_COOKIE, validateSessionToken } from '../../auth/sessions.ts';
import { AnswerSaver } from './answer-saver.ts';
import {
  attemptTime,
  attemptView,
  closeAttempt,
  explainRefusedSave,
  finishAttempt,
  myOlympiad,
  startAttempt,
} from './attempt-service.ts';
import {
  AnswerParams,
  AttemptParams,
  AttemptTime,
  AttemptView,
  MyOlympiad,
  OlympiadParams,
  SaveAnswerBody,
  SavedAnswer,
} from '../schemas.ts';

const tags = ['Олимпиада: работа участника'];

/** PostgreSQL refused the answer's value itself: sending it again cannot help, so the page drops it and says why. */
const answerNotStorable = () => {
  const message = 'Поле «Ответ» содержит символы, которые нельзя сохранить. Исправьте ответ и введите его ещё раз.';
  return new AppError('validation', `Проверьте введённые данные. ${message}`, { answer: message });
};

/** Stored apart, not counted: the page lists the task on its closed screen and sends nothing more for it. */
const answerLate = () =>
  new AppError(
    'answer_late',
    'Работа завершена. Ответы больше не принимаются: этот ответ пришёл после окончания времени. ' +
      'Он сохранён как опоздавший и не засчитывается, пока его не примет организатор.',
  );

/** The student's side: every route answers about the signed-in student's own attempt only. */
export const olympiadAttemptRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const saver = new AnswerSaver(db);

  app.get(
    '/api/olympiads/:olympiadId/my',
    {
      schema: {
        tags,
        summary: 'Олимпиада для вошедшего участника: можно ли начать, идёт ли работа',
        params: OlympiadParams,
        response: { 200: MyOlympiad, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => myOlympiad(db, request.params.olympiadId, requireUser(request)),
  );

  app.post(
    '/api/olympiads/:olympiadId/attempt',
    {
      schema: {
        tags,
        summary: 'Начать работу (или продолжить уже начатую)',
        params: OlympiadParams,
        response: { 200: AttemptView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => startAttempt(db, request.params.olympiadId, requireUser(request), request.ip),
  );

  app.get(
    '/api/attempts/:attemptId',
    {
      schema: {
        tags,
        summary: 'Работа участника: задания без ключей, сохранённые ответы, срок',
        params: AttemptParams,
        response: { 200: AttemptView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => attemptView(db, request.params.attemptId, requireUser(request)),
  );

  app.get(
    '/api/attempts/:attemptId/time',
    {
      schema: {
        tags,
        summary: 'Срок работы участника сейчас (страница узнаёт о продлении времени)',
        params: AttemptParams,
        response: { 200: AttemptTime, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => attemptTime(db, request.params.attemptId, requireUser(request)),
  );

  app.put(
    '/api/attempts/:attemptId/answers/:taskId',
    {
      // The hot path: the session is checked inside the grouped statement rather than by a query of its own.
      config: { sessionCheckedByRoute: true },
      schema: {
        tags,
        summary: 'Сохранить ответ на задание (идемпотентно; более старое сохранение не перезапишет новое)',
        params: AnswerParams,
        body: SaveAnswerBody,
        response: { 200: SavedAnswer, ...errorResponses(400, 401, 404, 409, 503) },
      },
    },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE] ?? '';
      const [sessionId, secret, extra] = token.split('.');
      if (!sessionId || !secret || extra !== undefined || sessionId.length > 64 || secret.length > 64)
        throw unauthorized();
      const { attemptId, taskId } = request.params;
      let outcome;
      try {
        outcome = await saver.save({
          attemptId,
          taskId,
          sessionId,
          secretHash: hashSecret(secret),
          answer: request.body.answer,
          seq: request.body.seq,
          answeredAt: request.body.answeredAt,
        });
      } catch (error) {
        // The database cannot be reached: the error handler answers 503 «База данных недоступна…»; the page keeps the answer.
        if (isConnectionError(error)) throw error;
        request.log.error({ err: error }, 'saving an answer failed');
        throw new AppError(
          'save_retry',
          'Ответ не сохранён: сервер временно недоступен. Он будет отправлен ещё раз автоматически.',
        );
      }
      if (!outcome.saved && outcome.late) {
        // A touch after the time closes the attempt, as a page load would (nothing happens when it is closed).
        await closeAttempt(db, attemptId, 'deadline', null);
        throw answerLate();
      }
      if (!outcome.saved && outcome.invalid) throw answerNotStorable();
      if (!outcome.saved) {
        // Refused: find out why, with the ordinary session check.
        const session = await validateSessionToken(db, token);
        if (!session) throw unauthorized();
        throw await explainRefusedSave(db, attemptId, taskId, session.user);
      }
      return {
        taskId,
        seq: outcome.seq,
        savedAt: outcome.savedAt.toISOString(),
        deadlineAt: outcome.deadlineAt.toISOString(),
        ...(outcome.stored ? { stored: outcome.stored } : {}),
      };
    },
  );

  app.post(
    '/api/attempts/:attemptId/finish',
    {
      schema: {
        tags,
        summary: 'Завершить работу досрочно',
        params: AttemptParams,
        response: { 200: AttemptView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => finishAttempt(db, request.params.attemptId, requireUser(request), request.ip),
  );
};
