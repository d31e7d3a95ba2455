import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { AppError, errorResponses } from '../../../http/errors.ts';
import { requireRole } from '../../auth/plugin.ts';
import { acceptLateAnswer, participantCard } from './participant-card.ts';
import {
  AcceptLateBody,
  AttemptVoidBody,
  ExtendTimeBody,
  LateAnswerParams,
  ParticipantCard,
  AttemptVoidParams,
  OlympiadParams,
  ParticipantList,
  ParticipantParams,
  RosterImportResult,
} from '../schemas.ts';
import { importRoster, listParticipants, removeParticipant, voidAttempt } from './participant-service.ts';
import { extendTime } from '../attempts/time-extension.ts';

const tags = ['Олимпиада: участники'];

/** A roster is a small table; a bigger upload is not a roster. */
const ROSTER_MAX_BYTES = 5 * 1024 * 1024;

export const olympiadParticipantRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/olympiads/:olympiadId/participants',
    {
      schema: {
        tags,
        summary: 'Участники с кодами доступа и шифрами (для организатора)',
        params: OlympiadParams,
        response: { 200: ParticipantList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return listParticipants(db, request.params.olympiadId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/participants/import',
    {
      schema: {
        tags,
        summary: 'Загрузить список участников (CSV или XLSX: ФИО, Школа, Класс)',
        params: OlympiadParams,
        consumes: ['multipart/form-data'],
        body: Type.Any({ description: 'multipart/form-data с полем file' }),
        response: { 200: RosterImportResult, ...errorResponses(400, 401, 403, 404, 413) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const noFile = () =>
        new AppError('validation', 'Выберите файл со списком участников (CSV или XLSX).', {
          file: 'Выберите файл со списком участников (CSV или XLSX).',
        });
      if (!request.isMultipart()) throw noFile();
      const part = await request.file({ limits: { fileSize: ROSTER_MAX_BYTES } });
      if (!part || !part.filename) throw noFile();
      const data = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new AppError('file_too_large', 'Файл слишком большой: список участников должен быть не больше 5 МБ.', {
            file: 'Файл больше 5 МБ.',
          });
        }
        throw error;
      });
      if (data.length === 0) throw noFile();
      return importRoster(
        db,
        request.params.olympiadId,
        { data, filename: part.filename },
        { id: actor.id, ip: request.ip },
      );
    },
  );

  app.delete(
    '/api/olympiads/:olympiadId/participants/:participantId',
    {
      schema: {
        tags,
        summary: 'Удалить участника, который ещё не начинал (например, повторную регистрацию)',
        params: ParticipantParams,
        response: { 200: ParticipantList, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await removeParticipant(db, request.params.olympiadId, request.params.participantId, {
        id: actor.id,
        ip: request.ip,
      });
      return listParticipants(db, request.params.olympiadId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/attempts/:attemptId/void',
    {
      schema: {
        tags,
        summary: 'Аннулировать работу (повторная регистрация): она не учитывается в итогах',
        params: AttemptVoidParams,
        body: AttemptVoidBody,
        response: { 200: ParticipantList, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await voidAttempt(db, request.params.olympiadId, request.params.attemptId, request.body.reason, {
        id: actor.id,
        ip: request.ip,
      });
      return listParticipants(db, request.params.olympiadId);
    },
  );

  app.get(
    '/api/olympiads/:olympiadId/participants/:participantId',
    {
      schema: {
        tags,
        summary: 'Карточка участника: время работы, продление, опоздавшие ответы',
        params: ParticipantParams,
        response: { 200: ParticipantCard, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return participantCard(db, request.params.olympiadId, request.params.participantId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/participants/:participantId/extend',
    {
      schema: {
        tags,
        summary: 'Продлить время одному участнику (минуты и причина): до начала работы или пока она идёт',
        params: ParticipantParams,
        body: ExtendTimeBody,
        response: { 200: ParticipantCard, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const { olympiadId, participantId } = request.params;
      await extendTime(db, olympiadId, participantId, request.body.minutes, request.body.reason, {
        id: actor.id,
        ip: request.ip,
      });
      return participantCard(db, olympiadId, participantId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/participants/:participantId/late-answers/:taskId/accept',
    {
      schema: {
        tags,
        summary: 'Засчитать опоздавший ответ (с причиной): работа переоценивается',
        params: LateAnswerParams,
        body: AcceptLateBody,
        response: { 200: ParticipantCard, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const { olympiadId, participantId, taskId } = request.params;
      await acceptLateAnswer(db, olympiadId, participantId, taskId, request.body.reason, {
        id: actor.id,
        ip: request.ip,
      });
      return participantCard(db, olympiadId, participantId);
    },
  );
};
