import { sql, type Db } from '@konkurs/db';
import { SENSITIVE_BODY_REMOVED } from './outbox.ts';
import type { OutboxResponse } from './schemas.ts';

/** One page of the outbox for the organizer, newest first, all letters or those to one address. */
export async function listOutbox(
  db: Db,
  { to, offset, limit }: { to?: string; offset: number; limit: number },
): Promise<OutboxResponse> {
  let query = db.selectFrom('mail_outbox');
  if (to?.trim()) query = query.where('to_address', '=', to.trim().toLowerCase());
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: count.total,
    messages: rows.map((m) => ({
      // Without a mail server the outbox is how a letter reaches its addressee, so even a one-time link is shown;
      // a letter handed to a mail server keeps its link to the addressee.
      id: Number(m.id),
      to: m.to_address,
      subject: m.subject,
      body: m.sensitive && m.status !== 'kept' ? SENSITIVE_BODY_REMOVED : m.body,
      status: m.status,
      attempts: m.attempts,
      lastError: m.last_error,
      createdAt: m.created_at.toISOString(),
      sentAt: m.sent_at ? m.sent_at.toISOString() : null,
    })),
  };
}
