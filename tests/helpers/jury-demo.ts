import { expect } from 'vitest';
import { DEMO_ACCOUNTS, seedDemo } from '@konkurs/db';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';
import { signIn, type App } from './app.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from './contest.ts';
import { createTestDb, type TestDb } from './db.ts';

/**
 * The jury tests' common ground: a database of its own with the demo seed, the app, the regional TOS contest (blind,
 * four jurors and a chair, sheets mostly sent), and the demo accounts signed in by the start of their label.
 */
export const REGION_SLUG = 'luchshiy-rukovoditel-tos-smolenskoy-oblasti';

export const demoAccount = (label: string) => DEMO_ACCOUNTS.find((a) => a.label.startsWith(label))!;

export interface DemoJury {
  t: TestDb;
  h: ApplicationsTestApp;
  app: App;
  contestId: string;
  /** Session cookie by account label: «организатор», «председатель жюри», «член жюри», «заявитель». */
  cookies: Record<string, string>;
  /** Application id by its TOS name («ТОС «Рассвет»»). */
  entry: Record<string, string>;
  /** User id by the e-mail's first word («chair», «demidov»). */
  user: Record<string, string>;
  close: () => Promise<void>;
}

export async function demoJury(labels: string[]): Promise<DemoJury> {
  const t = await createTestDb();
  const h = await buildApplicationsApp(t.db);
  expect(await seedDemo(t.db, { hashPassword })).toBe(true);
  const contestId = (
    await t.db.selectFrom('contests').select('id').where('slug', '=', REGION_SLUG).executeTakeFirstOrThrow()
  ).id;
  const entry: Record<string, string> = {};
  const apps = await t.db
    .selectFrom('applications')
    .select(['id', 'answers'])
    .where('contest_id', '=', contestId)
    .execute();
  for (const a of apps) entry[String(a.answers.tos_name)] = a.id;
  const user: Record<string, string> = {};
  for (const u of await t.db.selectFrom('users').select(['id', 'email']).execute())
    user[u.email.split(/[.@]/)[0]] = u.id;
  const cookies: Record<string, string> = {};
  for (const label of labels)
    cookies[label] = await signIn(h.app, demoAccount(label).email, demoAccount(label).password);
  return {
    t,
    h,
    app: h.app,
    contestId,
    cookies,
    entry,
    user,
    close: async () => {
      await h.cleanup();
      await t.close();
    },
  };
}
