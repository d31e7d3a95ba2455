import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ROLES, sql, type Db, type Role } from '@konkurs/db';
import { AppError, errorResponses, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { requireRole } from '../auth/plugin.ts';
import { toUserDto } from '../auth/present.ts';
import { RoleSchema, UserSchema } from '../auth/schemas.ts';
import { usersMatching } from './search.ts';

const tags = ['Пользователи'];

const UserList = Type.Object({ users: Type.Array(Type.Ref(UserSchema)), total: Type.Integer() });

const userColumns = ['id', 'email', 'last_name', 'first_name', 'middle_name', 'roles'] as const;
type UserRow = {
  id: string;
  email: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  roles: Role[];
};
const dto = (u: UserRow) =>
  toUserDto({
    id: u.id,
    email: u.email,
    lastName: u.last_name,
    firstName: u.first_name,
    middleName: u.middle_name,
    roles: u.roles,
  });

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
      const { q, offset, limit } = request.query;
      const query = q?.trim() ? usersMatching(db, q) : db.selectFrom('users');
      const [rows, count] = await Promise.all([
        query
          .select(userColumns)
          .orderBy('last_name')
          .orderBy('first_name')
          .orderBy('id')
          .offset(offset)
          .limit(limit)
          .execute(),
        query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
      ]);
      return { users: rows.map(dto), total: count.total };
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
      const { id } = request.params;
      const roles = ROLES.filter((r) => request.body.roles.includes(r));
      if (id === actor.id && !roles.includes('organizer')) {
        throw new AppError(
          'own_organizer_role',
          'Нельзя снять роль организатора с самого себя: попросите другого организатора.',
          {
            roles: 'Роль «организатор» у себя снять нельзя.',
          },
        );
      }
      const user = await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('users')
          .select(userColumns)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!before) return null;
        const after = await trx
          .updateTable('users')
          .set({ roles })
          .where('id', '=', id)
          .returning(userColumns)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.roles.set',
          entity: 'user',
          entityId: id,
          before: { roles: before.roles },
          after: { roles },
          ip: request.ip,
        });
        return after;
      });
      if (!user) throw notFound('Пользователь не найден.');
      return { user: dto(user) };
    },
  );
};
