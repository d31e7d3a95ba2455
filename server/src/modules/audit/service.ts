import type { Db } from '@konkurs/db';
import { storableText, storableValue } from '../../lib/storable-text.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/**
 * Keeps who did what, when, and the state before and after. Pass the transaction that made the change.
 * Text from outside (a file name, a roster cell) is made storable here, so that recording an action can never fail it.
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : storableText(entry.entityId),
      before: entry.before === undefined ? null : JSON.stringify(storableValue(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(storableValue(entry.after)),
      ip: entry.ip ?? null,
    })
    .execute();
}
