import type { FastifyInstance } from 'fastify';
import { connectionErrorReason, isConnectionError, type Db } from '@konkurs/db';
import { onMailDue, requestAnswered, requestBegun } from './due.ts';
import { deliverDueMail, type MailTransport } from './outbox.ts';

/** How often the outbox is looked at for mail that is due (new mail is sent at once; failures wait). */
export const MAIL_ROUND_MS = 60_000;
/** Letters claimed and sent in one go by one process. */
const MAIL_BATCH = 20;

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's number in mail/due.ts. */
    mailerNumber: number;
  }
}

/**
 * The one mailer: sends what is due in the outbox, round after round (every MAIL_ROUND_MS, for retries), and right
 * after every request that queued a letter.
 *
 * Why after the response: a service queues a letter in the transaction that made the change it tells about (the
 * outbox row commits or rolls back with it), and a route answers only once that transaction has ended. So when the
 * request's onResponse hook runs, the letter is committed and can be sent, or it was rolled back and the round finds
 * nothing. No call site has to remember to wake the mailer: due.ts knows when every request that may have queued a
 * letter has been answered. A PostgreSQL NOTIFY sent inside the transaction would also wake other server processes,
 * but it needs a connection of its own kept listening (and reopened after a restart), on PGlite and on a pool alike;
 * every process already runs its own rounds, and a request's letters are best sent by the process that queued them,
 * so the hook is the simpler of the two and as correct. A request whose response never finished holds the wake back
 * for OPEN_REQUEST_LIMIT_MS at most; the rounds send the letters meanwhile.
 */
export function registerMailer(app: FastifyInstance, db: Db, send: MailTransport | undefined): void {
  if (!send) return; // No mail server: letters are kept in the outbox, nothing is sent.
  let delivering: Promise<unknown> = Promise.resolve();
  // Mail that went out while the database could not record it: recorded first in the next round, not sent again.
  const sentUnrecorded = new Map<number, Date>();
  const wake = () => {
    delivering = delivering
      .then(async () => {
        // Round after round while letters go out, so that a backlog (results mailed to a whole olympiad) leaves at the
        // mail server's pace, not 20 letters a minute; a failed letter waits for its retry without stopping the rest.
        let sent: number;
        do sent = await deliverDueMail(db, send, undefined, MAIL_BATCH, sentUnrecorded);
        while (sent > 0);
      })
      .catch((error) =>
        isConnectionError(error)
          ? app.log.warn(
              { reason: connectionErrorReason(error) },
              'mail delivery round: database unavailable, the next round retries',
            )
          : app.log.error({ err: error }, 'mail delivery round failed'),
      );
  };

  // Callback hooks: an async one costs a promise, on every request.
  app.decorateRequest('mailerNumber', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.mailerNumber = requestBegun();
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    requestAnswered(request.mailerNumber);
    done();
  });
  const forget = onMailDue(wake);

  const timer = setInterval(wake, MAIL_ROUND_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    forget();
    await delivering;
  });
}
