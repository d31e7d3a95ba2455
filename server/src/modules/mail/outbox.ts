import nodemailer from 'nodemailer';
import { sql, type Db } from '@konkurs/db';
import { letterHtml } from './letter.ts';
import { markMailDue } from './due.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The HTML part beside the text; made from the text when the letter is sent (letterHtml). */
  html?: string;
}

/** Sends one message; throws when the mail server refuses or cannot be reached. */
export type MailTransport = (message: MailMessage) => Promise<void>;

/** What a route plugin that sends mail is given: the database, the clock, and how its mail goes out. */
export interface MailingRouteOptions {
  db: Db;
  now: () => Date;
  /** Whether queued mail is sent (a mail server is configured) or only kept in the outbox. */
  deliverMail: boolean;
  /** For the links in the mail. */
  publicUrl: string;
}

/** Sends through the mail server at SMTP_URL, from MAIL_FROM: multipart/alternative, the text and the HTML part. */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return async (m) => {
    await transporter.sendMail({
      from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html ?? letterHtml(m.subject, m.text),
    });
  };
}

/**
 * Puts a message in the outbox. Call it with the transaction that made the change the message tells about,
 * so a message is never lost and never sent for a change that did not happen; that is all a service does: the mailer
 * (mailer.ts) sends it once the request has been answered, that is once the transaction has committed. Without a mail
 * server the message is kept in the outbox, where organizers read it.
 */
export async function enqueueMail(
  db: Db,
  message: MailMessage,
  options: { deliver: boolean; sensitive?: boolean },
): Promise<void> {
  await enqueueMails(db, [message], options);
}

/** Puts many messages in the outbox (results to every student), a thousand to a statement; as enqueueMail otherwise. */
export async function enqueueMails(
  db: Db,
  messages: MailMessage[],
  options: { deliver: boolean; sensitive?: boolean },
): Promise<void> {
  if (options.deliver && messages.length > 0) markMailDue();
  for (let i = 0; i < messages.length; i += 1000) {
    await db
      .insertInto('mail_outbox')
      .values(
        messages.slice(i, i + 1000).map((message) => ({
          to_address: message.to,
          subject: message.subject,
          body: message.text,
          status: options.deliver ? ('pending' as const) : ('kept' as const),
          sensitive: options.sensitive ?? false,
        })),
      )
      .execute();
  }
}

/**
 * What is kept of a letter with a one-time link (a password reset, an address confirmation) once a mail server has
 * it: the link is for its addressee only, so neither the outbox page nor a copy of the table may hold it.
 */
export const SENSITIVE_BODY_REMOVED = 'Текст письма скрыт: в нём одноразовая ссылка, она только для адресата.';

/** Minutes to wait before the next try: 1, 2, 4 … up to 6 hours. A message is retried until it is sent. */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), 360);
}

/** retryDelayMinutes of 1, 2 … tries, up to the first that reaches the cap: what the claiming statement looks up. */
const RETRY_DELAYS = Array.from({ length: 10 }, (_, i) => retryDelayMinutes(i + 1));

/**
 * Sends the messages that are due; a failure is recorded and retried later. Returns how many were sent. The mailer's
 * times are its own and kept only as a record of delivery: when to try again is reckoned by the database's clock
 * (its now(), the clock the outbox rows were stamped with), unless `now` is given (tests of the retry schedule).
 * `sentUnrecorded` (kept by the caller between rounds) holds messages the mail server took while the database
 * could not be told: they are marked sent at the start of the next round instead of going out twice.
 */
export async function deliverDueMail(
  db: Db,
  send: MailTransport,
  now?: Date,
  batch = 20,
  sentUnrecorded = new Map<number, Date>(),
): Promise<number> {
  for (const [id, sentAt] of sentUnrecorded) {
    await markSent(db, id, sentAt);
    sentUnrecorded.delete(id);
  }
  // Claim a batch in one statement: FOR UPDATE SKIP LOCKED lets several processes deliver at once, each taking
  // messages the others have not; the new next_attempt_at (retryDelayMinutes of the new count, looked up in
  // RETRY_DELAYS) keeps a claimed message out of the next rounds.
  const due = await sql<{
    id: number;
    to_address: string;
    subject: string;
    body: string;
  }>`
    update mail_outbox
    set attempts = attempts + 1,
        next_attempt_at = coalesce(${now ?? null}::timestamptz, now())
          + (${RETRY_DELAYS}::int[])[least(attempts + 1, ${RETRY_DELAYS.length})] * interval '1 minute'
    where id in (
      select id from mail_outbox
      where status = 'pending' and next_attempt_at <= coalesce(${now ?? null}::timestamptz, now())
      order by id
      limit ${batch}
      for update skip locked
    )
    returning id, to_address, subject, body`
    .execute(db)
    .then((res) => res.rows.sort((a, b) => a.id - b.id));
  let sent = 0;
  for (const m of due) {
    try {
      await send({ to: m.to_address, subject: m.subject, text: m.body, html: letterHtml(m.subject, m.body) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db
        .updateTable('mail_outbox')
        .set({ last_error: message.slice(0, 1000) })
        .where('id', '=', m.id)
        .execute();
      continue;
    }
    // The moment the mail server took it, which may be recorded only in a later round (sentUnrecorded).
    const sentAt = new Date();
    sentUnrecorded.set(m.id, sentAt);
    await markSent(db, m.id, sentAt);
    sentUnrecorded.delete(m.id);
    sent += 1;
  }
  return sent;
}

/** A sent letter is marked so; a sensitive one (a one-time link) loses its text, which nobody needs to read again. */
async function markSent(db: Db, id: number, sentAt: Date): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'sent',
      sent_at: sentAt,
      last_error: null,
      body: sql<string>`case when sensitive then ${SENSITIVE_BODY_REMOVED} else body end`,
    })
    .where('id', '=', id)
    .execute();
}
