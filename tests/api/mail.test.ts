import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUserInDb, signIn } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  multipart,
  organizerCookie,
  PNG_1PX,
  validAnswers,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';
import { deliverDueMail, type MailMessage } from '../../server/src/modules/mail/outbox.ts';

let t: TestDb;
let h: ApplicationsTestApp;
const sent: MailMessage[] = [];
let failNext = 0;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db, {
    mailTransport: async (m) => {
      if (failNext > 0) {
        failNext -= 1;
        throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      }
      sent.push(m);
    },
  });
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

describe('mail through the outbox', () => {
  test('a failed send is kept with its error and retried until it goes; it is never lost', async () => {
    const { app } = h;
    const organizer = await organizerCookie(app, t.db);
    const contest = await createContestWithForm(app, organizer, h.clock.now());
    // An account made directly: registering would queue a confirmation letter of its own.
    const applicant = await createUserInDb(t.db);
    const cookie = await signIn(app, applicant.email, applicant.password);
    const created = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie },
      payload: { nominationId: contest.nominations[0].id },
    });
    const id = created.json().application.id;
    await app.inject({
      method: 'PUT',
      url: `/api/applications/${id}/answers`,
      headers: { cookie },
      payload: { answers: validAnswers() },
    });
    const body = multipart('a.png', PNG_1PX);
    await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/files?field=photos`,
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });

    failNext = 1;
    const submitted = await app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: { cookie } });
    expect(submitted.statusCode).toBe(200);
    // The submission does not wait for the mail server; poll the outbox until the first attempt has ended. A delivery
    // round claims the message (attempts + 1) before it sends, and records the error after: wait for the error, or for
    // the message to leave «pending», not just for the claim.
    let row;
    for (let i = 0; i < 100; i++) {
      row = await t.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', applicant.email)
        .executeTakeFirst();
      if (row && (row.last_error !== null || row.status !== 'pending')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'connect ECONNREFUSED 127.0.0.1:25' });
    expect(sent).toEqual([]);

    // Not due yet: nothing is tried.
    expect(await deliverDueMail(t.db, async (m) => void sent.push(m), new Date())).toBe(0);
    // A minute later it is due and goes out.
    expect(await deliverDueMail(t.db, async (m) => void sent.push(m), new Date(Date.now() + 61_000))).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe(applicant.email);
    expect(sent[0].subject).toMatch(/^Заявка ТОС-\d{4}-001 подана$/);
    const after = await t.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', applicant.email)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    // Sent mail is not sent again.
    expect(await deliverDueMail(t.db, async (m) => void sent.push(m), new Date(Date.now() + 3600_000))).toBe(0);

    const outbox = await app.inject({ method: 'GET', url: '/api/mail/outbox', headers: { cookie: organizer } });
    expect(outbox.json().messages[0]).toMatchObject({ to: applicant.email, status: 'sent', attempts: 2 });
  });
});
