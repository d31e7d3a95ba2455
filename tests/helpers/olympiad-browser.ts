import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { phoneContext, settled } from './browser.ts';
import { TASK_SET } from './olympiad.ts';

/** A phone-sized context whose steps may take 30 s: sign-in hashing and page loads are slow when the machine is busy. */
export async function phone(browser: Browser): Promise<BrowserContext> {
  const context = await phoneContext(browser);
  context.setDefaultTimeout(30_000);
  return context;
}

/** The JSON of an API answer through Playwright's request context; any other status fails the test, naming `what`. */
export async function ok<T>(
  what: string,
  answer: Promise<{ ok(): boolean; status(): number; text(): Promise<string> }>,
) {
  const res = await answer;
  if (!res.ok()) throw new Error(`${what} answered ${res.status()}: ${await res.text()}`);
  return JSON.parse(await res.text()) as T;
}

/** A desktop-sized screen. */
export const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' };

/** A context signed in as the demo organizer through the API (its pages then open signed in too); a phone unless told. */
export async function organizerContext(browser: Browser, baseUrl: string, desktop = false): Promise<BrowserContext> {
  const context = desktop ? await browser.newContext(DESKTOP) : await phone(browser);
  context.setDefaultTimeout(30_000);
  await ok(
    'sign-in',
    context.request.post(`${baseUrl}/api/auth/login`, {
      data: { email: 'organizer@demo.konkurs.local', password: 'organizer-demo-1' },
    }),
  );
  return context;
}

export interface ShortOlympiad {
  id: string;
  students: { participantId: string; accessCode: string; fullName: string }[];
  /** Moves the end of the window (and so the deadline of attempts started after) to `ms` from now. */
  endIn(ms: number): Promise<void>;
}

/**
 * An olympiad open now, with the test task set (in order; none with `tasks: false`) and `count` students on its
 * roster, made through the API.
 */
export async function shortOlympiad(
  org: APIRequestContext,
  baseUrl: string,
  { graceSeconds = 60, count = 1, tasks = true }: { graceSeconds?: number; count?: number; tasks?: boolean } = {},
): Promise<ShortOlympiad> {
  const body = {
    title: `Олимпиада дня ${Math.random().toString(36).slice(2, 8)}`,
    grades: [10],
    windowStartAt: new Date().toISOString(),
    windowEndAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    timeLimitMinutes: 60,
    graceSeconds,
  };
  const { olympiad } = await ok<{ olympiad: { id: string } }>(
    'olympiad',
    org.post(`${baseUrl}/api/olympiads`, { data: body }),
  );
  if (tasks)
    await ok(
      'tasks',
      org.post(`${baseUrl}/api/olympiads/${olympiad.id}/tasks/import?mode=replace`, { data: TASK_SET }),
    );
  const lines = ['ФИО;Школа;Класс'];
  for (let i = 0; i < count; i++) lines.push(`Опоздалова${i} Вера Павловна;Школа № ${i + 1};10А`);
  const roster = await ok<{ added: { id: string; accessCode: string; fullName: string }[] }>(
    'roster',
    org.post(`${baseUrl}/api/olympiads/${olympiad.id}/participants/import`, {
      multipart: { file: { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) } },
    }),
  );
  return {
    id: olympiad.id,
    students: roster.added.map((a) => ({ participantId: a.id, accessCode: a.accessCode, fullName: a.fullName })),
    endIn: async (ms) => {
      await ok(
        'window end',
        org.put(`${baseUrl}/api/olympiads/${olympiad.id}`, {
          data: { ...body, windowEndAt: new Date(Date.now() + ms).toISOString() },
        }),
      );
    },
  };
}

/** The student signs in with the access code on the page, starts the work and is on the attempt page. */
export async function startAttempt(page: Page, baseUrl: string, olympiadId: string, code: string): Promise<string> {
  await page.goto(`${baseUrl}/code`);
  await settled(page);
  await page.getByLabel('Код доступа').fill(code);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL(/\/olympiads\/[0-9a-f-]+$/);
  const view = await ok<{ attempt: { id: string } }>(
    'start',
    page.context().request.post(`${baseUrl}/api/olympiads/${olympiadId}/attempt`),
  );
  await page.goto(`${baseUrl}/olympiads/${olympiadId}/attempt`);
  await settled(page);
  return view.attempt.id;
}

/** Goes to task n (1-based) through the task navigation. */
export async function openTask(page: Page, n: number): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Задания' })
    .getByRole('button', { name: new RegExp(`^Задание ${n}:`) })
    .click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`^Задание ${n} `) }).waitFor();
}

export const allSaved = (page: Page) => page.getByTestId('save-status').getByText('Все ответы сохранены.').waitFor();
