import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ROLES, type Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import { RoleSchema, UserSchema } from '../auth/schemas.ts';
import { listUsers, setUserRoles } from './service.ts';

const tags = ['Пользователи'];

const UserList = Type.Object({ users: Type.Array(Type.Ref(UserSchema)), total: Type.Integer() });

export const userRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Пользователи (для организатора)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200, title: 'Поиск' })),
          offset: Type.Integer({ minimum: 0, default: 0, title: 'Смещение' }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, title: 'Количество' }),
        }),
        response: { 200: UserList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return listUsers(db, request.query);
    },
  );

  app.put(
    '/api/users/:id/roles',
    {
      schema: {
        tags,
        summary: 'Назначить роли пользователю',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Пользователь' }) }),
        body: Type.Object({
          roles: Type.Array(RoleSchema, { maxItems: ROLES.length, uniqueItems: true, title: 'Роли' }),
        }),
        response: { 200: Type.Object({ user: Type.Ref(UserSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      return setUserRoles(db, actor, request.params.id, request.body.roles, request.ip);
    },
  );
};
