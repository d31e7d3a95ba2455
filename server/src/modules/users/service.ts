import { ROLES, sql, type Db, type Role } from '@konkurs/db';
import { AppError, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { toUserDto } from '../auth/present.ts';
import { usersMatching } from './search.ts';

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

/** One page of the users, by ФИО, and how many match: all of them, or those whose e-mail or ФИО contains `q`. */
export async function listUsers(db: Db, { q, offset, limit }: { q?: string; offset: number; limit: number }) {
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
}

/** Sets a user's roles (audited). An organizer cannot take the organizer's role from themselves. */
export async function setUserRoles(db: Db, actor: { id: string }, id: string, requested: readonly Role[], ip: string) {
  const roles = ROLES.filter((r) => requested.includes(r));
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
      ip,
    });
    return after;
  });
  if (!user) throw notFound('Пользователь не найден.');
  return { user: dto(user) };
}
