import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '@konkurs/server';
import { testConfig, uniqueEmail, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { enqueueMail, type MailMessage } from '../../server/src/modules/mail/outbox.ts';

// The mailer sends a request's letters once the request has answered, that is once its transaction has ended
// (mail/mailer.ts): a service only queues the letter, and no route wakes the mailer by hand.

let t: TestDb;
let app: App;
const sent: MailMessage[] = [];

beforeAll(async () => {
  t = await createTestDb();
  app = await buildApp({
    db: t.db,
    config: testConfig(),
    logger: false,
    mailTransport: async (m) => void sent.push(m),
  });
  // Two routes shaped as the services are: a transaction that queues a letter and then commits, or fails.
  app.post<{ Body: { to: string; fail: boolean } }>('/test/letter', async (request, reply) => {
    try {
      await t.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, { to: request.body.to, subject: 'Проверка', text: 'Текст' }, { deliver: true });
        if (request.body.fail) throw new Error('rolled back');
      });
    } catch {
      return reply.status(409).send({ rolledBack: true });
    }
    return { committed: true };
  });
  // A route whose transaction queues a letter and then waits, before committing, until the test lets it go on.
  app.post<{ Body: { to: string } }>('/test/slow-letter', async (request) => {
    await t.db.transaction().execute(async (trx) => {
      await enqueueMail(trx, { to: request.body.to, subject: 'Не сразу', text: 'Текст' }, { deliver: true });
      queued();
      await commitAllowed;
    });
    return { committed: true };
  });
  app.get('/test/nothing', async () => ({ ok: true }));
  await app.ready();
});

let queued: () => void = () => {};
let allowCommit: () => void = () => {};
const commitAllowed = new Promise<void>((r) => (allowCommit = r));

afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function sentTo(address: string): Promise<MailMessage | undefined> {
  // Delivery does not hold up the answer: wait (up to 5 s) for the letter to leave the outbox.
  for (let i = 0; i < 100; i++) {
    const letter = sent.find((m) => m.to === address);
    if (letter) return letter;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe('mail goes after the transaction commits', () => {
  test('a letter queued in a transaction that rolls back is never sent; one that commits is sent unasked', async () => {
    const lost = uniqueEmail('rolled-back');
    const kept = uniqueEmail('committed');
    const failed = await app.inject({ method: 'POST', url: '/test/letter', payload: { to: lost, fail: true } });
    expect(failed.statusCode).toBe(409);
    const ok = await app.inject({ method: 'POST', url: '/test/letter', payload: { to: kept, fail: false } });
    expect(ok.statusCode).toBe(200);

    // The committed letter goes out with no call to wake the mailer (the round timer is a minute away).
    expect((await sentTo(kept))?.subject).toBe('Проверка');
    // The mailer sends in the order letters were queued, so the rolled-back one would have gone first.
    expect(sent.map((m) => m.to)).toEqual([kept]);
    const rows = await t.db.selectFrom('mail_outbox').select(['to_address', 'status']).execute();
    expect(rows).toEqual([{ to_address: kept, status: 'sent' }]);
  });

  test('a letter whose transaction commits after other requests were answered still goes at once', async () => {
    const address = uniqueEmail('slow');
    const enqueued = new Promise<void>((r) => (queued = r));
    const slow = app.inject({ method: 'POST', url: '/test/slow-letter', payload: { to: address } });
    await enqueued;
    // Requests that began later are answered while the letter's transaction is still open: nothing to send yet.
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ method: 'GET', url: '/test/nothing' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.find((m) => m.to === address)).toBeUndefined();
    allowCommit();
    expect((await slow).statusCode).toBe(200);
    // Once the request that queued it has answered, the letter goes without waiting for the minute's round.
    expect((await sentTo(address))?.subject).toBe('Не сразу');
  });
});
