import type { Db } from '@konkurs/db';
import { escapeLike } from '../../lib/like.ts';
import { fullName } from '../auth/present.ts';
import { usersMatching } from '../users/search.ts';
import { auditActionLabel, auditEntityLabel } from './labels.ts';
import { AUDIT_AREA_PREFIXES, type AuditArea, type AuditLogResponse } from './schemas.ts';

export interface AuditLogQuery {
  area?: AuditArea;
  /** Part of the actor's ФИО or e-mail. */
  actor?: string;
  entityId?: string;
  /** Entries older than this one (the next page). */
  before?: number;
  limit: number;
}

/** One page of the audit log, newest first, filtered as the organizer asked. */
export async function auditLogPage(db: Db, filter: AuditLogQuery): Promise<AuditLogResponse> {
  const { area, actor, entityId, before, limit } = filter;
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.at',
      'a.action',
      'a.entity',
      'a.entity_id',
      'a.before',
      'a.after',
      'a.ip',
      'a.actor_id',
      'u.email',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
    ]);
  if (area)
    query = query.where((eb) =>
      eb.or(AUDIT_AREA_PREFIXES[area].map((prefix) => eb('a.action', 'like', `${escapeLike(prefix)}%`))),
    );
  if (actor?.trim()) query = query.where('a.actor_id', 'in', usersMatching(db, actor).select('id'));
  if (entityId?.trim()) query = query.where('a.entity_id', '=', entityId.trim());
  if (before !== undefined) query = query.where('a.id', '<', before);
  // One row more than asked tells whether an older page exists.
  const rows = await query
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      // actor_id is set null when the account is deleted, so a set actor_id always joins its user.
      actor: r.actor_id
        ? {
            id: r.actor_id,
            fullName: fullName({ lastName: r.last_name!, firstName: r.first_name!, middleName: r.middle_name }),
            email: r.email!,
          }
        : null,
      action: r.action,
      actionLabel: auditActionLabel(r.action),
      entity: r.entity,
      entityLabel: auditEntityLabel(r.entity),
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      ip: r.ip,
    })),
    nextBefore: rows.length > limit ? Number(page[page.length - 1].id) : null,
  };
}
