import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../../http/errors.ts';
import { requireRole } from '../../auth/plugin.ts';
import {
  ImportQuery,
  OlympiadParams,
  OrganizerTask,
  OrganizerTaskList,
  SettingsBody,
  TaskDefinitionSchema,
  TaskOrderBody,
  TaskParams,
  TaskSetJson,
} from '../schemas.ts';
import {
  createTask,
  deleteTask,
  exportTaskSet,
  importTaskSet,
  listTasks,
  reorderTasks,
  updateSettings,
  updateTask,
} from './task-service.ts';
import type { TaskDefinition } from './tasks.ts';

const tags = ['Олимпиада: задания'];

/** The organizer's side of the task set: the key is in every answer here, so every route is for organizers only. */
export const olympiadTaskRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/olympiads/:olympiadId/tasks',
    {
      schema: {
        tags,
        summary: 'Задания олимпиады с ключами (для организатора)',
        params: OlympiadParams,
        response: { 200: OrganizerTaskList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return listTasks(db, request.params.olympiadId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/tasks',
    {
      schema: {
        tags,
        summary: 'Добавить задание',
        params: OlympiadParams,
        body: TaskDefinitionSchema,
        response: { 201: OrganizerTask, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, 'organizer');
      const task = await createTask(db, request.params.olympiadId, request.body as TaskDefinition, {
        id: actor.id,
        ip: request.ip,
      });
      reply.status(201);
      return task;
    },
  );

  app.put(
    '/api/olympiads/:olympiadId/tasks/order',
    {
      schema: {
        tags,
        summary: 'Порядок заданий (до начала олимпиады)',
        params: OlympiadParams,
        body: TaskOrderBody,
        response: { 200: OrganizerTaskList, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await reorderTasks(db, request.params.olympiadId, request.body.taskIds, { id: actor.id, ip: request.ip });
      return listTasks(db, request.params.olympiadId);
    },
  );

  app.put(
    '/api/olympiads/:olympiadId/tasks/:taskId',
    {
      schema: {
        tags,
        summary: 'Изменить задание',
        params: TaskParams,
        body: TaskDefinitionSchema,
        response: { 200: OrganizerTask, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      return updateTask(db, request.params.olympiadId, request.params.taskId, request.body as TaskDefinition, {
        id: actor.id,
        ip: request.ip,
      });
    },
  );

  app.delete(
    '/api/olympiads/:olympiadId/tasks/:taskId',
    {
      schema: {
        tags,
        summary: 'Удалить задание',
        params: TaskParams,
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await deleteTask(db, request.params.olympiadId, request.params.taskId, { id: actor.id, ip: request.ip });
      return { ok: true };
    },
  );

  app.get(
    '/api/olympiads/:olympiadId/tasks/export',
    {
      schema: {
        tags,
        summary: 'Выгрузить набор заданий в JSON (с ключами)',
        params: OlympiadParams,
        response: { 200: TaskSetJson, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireRole(request, 'organizer');
      const set = await exportTaskSet(db, request.params.olympiadId);
      reply.header('content-disposition', `attachment; filename="olympiad-tasks-${request.params.olympiadId}.json"`);
      return set;
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/tasks/import',
    {
      schema: {
        tags,
        summary: 'Загрузить набор заданий из JSON (добавить или заменить)',
        params: OlympiadParams,
        querystring: ImportQuery,
        body: TaskSetJson,
        response: { 200: OrganizerTaskList, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      return importTaskSet(db, request.params.olympiadId, request.body, request.query.mode, {
        id: actor.id,
        ip: request.ip,
      });
    },
  );

  app.put(
    '/api/olympiads/:olympiadId/settings',
    {
      schema: {
        tags,
        summary: 'Порядок заданий и вариантов',
        params: OlympiadParams,
        body: SettingsBody,
        response: { 200: OrganizerTaskList, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await updateSettings(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
      return listTasks(db, request.params.olympiadId);
    },
  );
};
