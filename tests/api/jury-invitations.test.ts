import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormField } from '../../server/src/modules/forms/definition.ts';
import {
  confirmEmailByLetter,
  createUserInDb,
  isRussian,
  me,
  registerUser,
  sessionCookie,
  signIn,
  uniqueEmail,
  uniqueIp,
  type App,
} from '../helpers/app.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  organizerCookie,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

/**
 * Issue #11, item 5: an invitation to a jury belongs to its address. Before, any signed-in account accepted it, and an
 * account registered with someone else's address was added to a jury directly.
 */

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let organizer: string;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  organizer = await organizerCookie(app, t.db);
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

const FIELDS: FormField[] = [
  { key: 'org', kind: 'text', label: 'Название ТОС', required: true, personal: false, maxLength: 100 },
  {
    key: 'consent',
    kind: 'consent',
    label: 'Согласие на обработку персональных данных',
    required: true,
    personal: false,
    consentText: 'Я согласен.',
  },
];

type Method = 'GET' | 'POST';
const call = (method: Method, url: string, cookie?: string, payload?: object) =>
  app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    remoteAddress: uniqueIp(),
    ...(payload ? { payload } : {}),
  });

async function newContest() {
  return createContestWithForm(app, organizer, h.clock.now(), {}, FIELDS);
}

async function invite(contestId: string, email: string) {
  const res = await call('POST', `/api/contests/${contestId}/jury/members`, organizer, { email });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { outcome: 'added' | 'invited'; message: string };
}

/** The token of the newest invitation mailed to this address. */
async function invitationToken(email: string): Promise<string> {
  const letter = await t.db
    .selectFrom('mail_outbox')
    .select('body')
    .where('to_address', '=', email)
    .where('subject', 'like', 'Приглашение в жюри%')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return /\/jury\/invite\/([a-z2-7]+)/.exec(letter.body)![1];
}

async function memberIds(contestId: string): Promise<string[]> {
  return (await t.db.selectFrom('jury_members').select('user_id').where('contest_id', '=', contestId).execute()).map(
    (m) => m.user_id,
  );
}

describe('an invitation to a jury belongs to its address', () => {
  test('an account with another address cannot accept it, and the page tells it what to do', async () => {
    const contest = await newContest();
    const invited = uniqueEmail('invited');
    expect((await invite(contest.id, invited)).outcome).toBe('invited');
    const token = await invitationToken(invited);

    const stranger = await createUserInDb(t.db, { roles: ['applicant'] });
    const strangerCookie = await signIn(app, stranger.email, stranger.password, { ip: uniqueIp() });
    const view = (await call('GET', `/api/jury/invitations/${token}`, strangerCookie)).json();
    expect(view).toMatchObject({ email: invited, next: 'switch_account' });
    expect(view.advice).toContain(invited);
    expect(view.advice).toContain(stranger.email);

    const refused = await call('POST', `/api/jury/invitations/${token}/accept`, strangerCookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('invitation_other_address');
    expect(isRussian(refused.json().error.message)).toBe(true);
    expect(await memberIds(contest.id)).toEqual([]);
    expect((await me(app, strangerCookie))?.roles).toEqual(['applicant']);
    // The invitation still waits for its owner.
    const pending = await t.db
      .selectFrom('jury_invitations')
      .select('accepted_at')
      .where('email', '=', invited)
      .executeTakeFirstOrThrow();
    expect(pending.accepted_at).toBeNull();
  });

  test('the invited address must be confirmed: unconfirmed it cannot join; confirmed by its link, it can', async () => {
    const contest = await newContest();
    const invited = uniqueEmail('invited');
    await invite(contest.id, invited);
    const token = await invitationToken(invited);
    expect((await call('GET', `/api/jury/invitations/${token}`)).json()).toMatchObject({ next: 'sign_in' });

    const owner = await registerUser(app, { email: invited });
    expect((await call('GET', `/api/jury/invitations/${token}`, owner.cookie)).json()).toMatchObject({
      next: 'confirm_email',
    });
    const early = await call('POST', `/api/jury/invitations/${token}/accept`, owner.cookie);
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('email_unverified');
    expect(early.json().error.message).toContain('Подтвердите адрес');
    expect(await memberIds(contest.id)).toEqual([]);

    await confirmEmailByLetter(app, t.db, invited);
    expect((await call('GET', `/api/jury/invitations/${token}`, owner.cookie)).json()).toMatchObject({
      next: 'accept',
    });
    const accepted = await call('POST', `/api/jury/invitations/${token}/accept`, owner.cookie);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await memberIds(contest.id)).toEqual([owner.user.id]);
  });

  test('an address registered by someone else is not added directly; its real owner takes it back by «Забыли пароль?» and joins', async () => {
    // Someone registers the future juror's address before the organizer adds it.
    const address = uniqueEmail('future-juror');
    const squatter = await registerUser(app, { email: address, lastName: 'Захватов' });
    const contest = await newContest();
    const added = await invite(contest.id, address);
    expect(added.outcome).toBe('invited');
    expect(added.message).toContain('не подтверждён');
    expect(await memberIds(contest.id)).toEqual([]);
    const token = await invitationToken(address);

    // Signed in with that address but unable to confirm it (the letters go to the real owner), the squatter cannot join.
    const refused = await call('POST', `/api/jury/invitations/${token}/accept`, squatter.cookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('email_unverified');

    // The owner reads the invitation in their mailbox, asks for a new password there, and the link confirms the address.
    expect((await call('POST', '/api/auth/password-reset', undefined, { email: address })).statusCode).toBe(200);
    const reset = await t.db
      .selectFrom('mail_outbox')
      .select('body')
      .where('to_address', '=', address)
      .where('subject', '=', 'Новый пароль для входа в Konkurs')
      .executeTakeFirstOrThrow();
    const resetToken = /\/reset-password\/([a-z2-7]+)/.exec(reset.body)![1];
    const newPassword = await call('POST', `/api/auth/password-reset/${resetToken}`, undefined, {
      password: 'это мой адрес и мой пароль',
    });
    expect(newPassword.statusCode).toBe(200);
    const ownerCookie = sessionCookie(newPassword);
    expect(await me(app, squatter.cookie)).toBeNull();

    const accepted = await call('POST', `/api/jury/invitations/${token}/accept`, ownerCookie);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await memberIds(contest.id)).toEqual([squatter.user.id]);
  });

  test('an account whose owner confirmed the address is still added at once', async () => {
    const contest = await newContest();
    const person = await registerUser(app);
    await confirmEmailByLetter(app, t.db, person.email);
    const added = await invite(contest.id, person.email);
    expect(added.outcome).toBe('added');
    expect(await memberIds(contest.id)).toEqual([person.user.id]);
  });
});
