import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { registerUser } from '../helpers/app.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { freePort } from '../helpers/server-process.ts';

/**
 * Issue #13, item 11, through a real SMTP exchange on loopback: the letter leaves from MAIL_FROM, as
 * multipart/alternative with a text and an HTML part.
 */

let t: TestDb;
let h: ApplicationsTestApp;
let smtp: SMTPServer;
const received: ParsedMail[] = [];
const FROM = 'Конкурсы РО ВСМС <konkurs@vsms.example.ru>';

beforeAll(async () => {
  const port = await freePort();
  smtp = new SMTPServer({
    // A plain loopback server: no TLS, no sign-in.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  t = await createTestDb();
  h = await buildApplicationsApp(t.db, { env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: FROM } });
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe('a letter as it leaves through SMTP', () => {
  test('comes from MAIL_FROM with a text and an HTML part that say the same', async () => {
    const { email } = await registerUser(h.app);
    for (let i = 0; i < 200 && !received.some((m) => m.to && JSON.stringify(m.to).includes(email)); i++)
      await new Promise((r) => setTimeout(r, 50));
    const letter = received.find((m) => JSON.stringify(m.to).includes(email));
    expect(letter, 'the confirmation letter arrived').toBeDefined();
    expect(letter!.from?.value).toEqual([{ address: 'konkurs@vsms.example.ru', name: 'Конкурсы РО ВСМС' }]);
    expect(letter!.subject).toBe('Подтвердите адрес электронной почты');
    expect((letter!.headers.get('content-type') as { value: string }).value).toBe('multipart/alternative');

    const link = /http:\/\/localhost:3000\/confirm-email\/[a-z2-7]+/.exec(letter!.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(letter!.text).toMatch(/^Здравствуйте, Мария Сергеевна!\n\n/);
    const html = String(letter!.html);
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Здравствуйте, Мария Сергеевна!');
    expect(html).toContain(`<a href="${link}">${link}</a>`);

    const row = await t.db
      .selectFrom('mail_outbox')
      .select(['status', 'body'])
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
  });
});
