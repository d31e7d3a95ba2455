import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import { pdfText } from '../helpers/pdf.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform(async (p) => {
  ({ server, browser } = p);
  await publishRegionalResults();
});

let regionalId: string;

async function organizerCookie(): Promise<string> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: 'organizer@demo.konkurs.local', password: 'organizer-demo-1' }),
  });
  expect(login.status).toBe(200);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** The organizer publishes the demo regional contest's results through the API, as the results page does. */
async function publishRegionalResults() {
  const headers = { 'content-type': 'application/json', origin: server.url };
  const cookie = await organizerCookie();
  const events = await (await fetch(`${server.url}/api/events`)).json();
  const regional = events.contests.find(
    (c: { slug: string }) => c.slug === 'luchshiy-rukovoditel-tos-smolenskoy-oblasti',
  );
  regionalId = regional.id;
  // The demo juror has not scored his two entries yet: the organizer confirms publishing without them.
  const publish = await fetch(`${server.url}/api/contests/${regional.id}/results/publish`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: JSON.stringify({ confirmIncomplete: true }),
  });
  expect(publish.status).toBe(200);
}

describe('J5: from published results to a diploma anyone can verify, on a phone', () => {
  it('the organizer issues the awards; the winner downloads her diploma and its code checks out', async () => {
    const organizer = await phoneContext(browser);
    const page = await organizer.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1', '/admin/certificates');
    await page.getByLabel('Мероприятие').selectOption({ label: 'Лучший руководитель ТОС Смоленской области' });
    await page.getByRole('button', { name: 'Открыть' }).click();
    await page.waitForURL(/event=contest/);
    const table = page.locator('table', { hasText: 'Положено по итогам' });
    /** [entitled, valid, to issue, to revoke] of one award, as the table shows them. */
    const counts = async (award: string) =>
      (await table.locator('tr', { hasText: award }).locator('td').allTextContents())
        .slice(1)
        .map((t) => Number(t.replace(/\D+/g, '')));
    // First places: «Рассвет» in the chairs' nomination and «Дом 12 по ул. Ленина», alone in the house elders' one.
    expect(await counts('Диплом I степени')).toEqual([2, 0, 2, 0]);
    // The preview names each person who gets a document, with the declension to be printed.
    const thanks = page.locator('div.card', { hasText: 'Будут выданы' }).filter({ hasText: 'Благодарственное письмо' });
    await expect(thanks.textContent()).resolves.toContain('Склонение');
    // The organizer corrects one juror's dative before issuing.
    const orlova = thanks.locator('li', { hasText: 'Орлова Светлана Юрьевна' });
    await orlova.locator('summary').click();
    await expect(orlova.getByLabel('Дательный (кому?)').inputValue()).resolves.toBe('Орловой Светлане Юрьевне');
    await orlova.getByLabel('Дательный (кому?)').fill('Орловой Светлане Юрьевне (исправлено)');
    await orlova.getByRole('button', { name: /Сохранить склонение/ }).click();
    await expect(page.getByText('Склонение исправлено: так оно будет напечатано.').isVisible()).resolves.toBe(true);
    await expect(
      page.locator('li', { hasText: 'Орлова Светлана Юрьевна' }).locator('summary').textContent(),
    ).resolves.toContain('исправлено вручную');
    await noHorizontalScroll(page);

    await page.getByRole('button', { name: 'Выдать наградные документы' }).click();
    await expect(page.getByText(/Выдано сейчас: \d+, уже были выданы раньше: 0/).textContent()).resolves.toBeTruthy();
    expect(await counts('Диплом I степени')).toEqual([2, 2, 0, 0]);
    await expect(page.getByText('Выданные документы совпадают с опубликованными итогами.').isVisible()).resolves.toBe(
      true,
    );
    // Every member of the jury gets a letter of thanks.
    const [jurors, thanked] = await counts('Благодарственное письмо');
    expect(jurors).toBeGreaterThanOrEqual(2);
    expect(thanked).toBe(jurors);
    await expect(page.locator('table.user-table', { hasText: 'Получатель' }).textContent()).resolves.toContain(
      'Иванова Мария Сергеевна',
    );
    await noHorizontalScroll(page);
    await organizer.close();

    const applicant = await phoneContext(browser);
    const mine = await applicant.newPage();
    await signIn(mine, server.url, 'applicant@demo.konkurs.local', 'applicant-demo-1', '/account');
    const item = mine.locator('li', { hasText: 'Диплом I степени' });
    await expect(item.textContent()).resolves.toContain('Лучший руководитель ТОС Смоленской области');
    await noHorizontalScroll(mine);
    const [download] = await Promise.all([
      mine.waitForEvent('download'),
      item.getByRole('link', { name: /скачать PDF/ }).click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    const text = pdfText(pdf);
    expect(text).toContain('Иванова Мария Сергеевна');
    expect(text).toContain('I степени');
    const code = /Код проверки:\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)?.[1];
    expect(code).toBeDefined();

    await mine.goto(`${server.url}/verify/${code}`);
    await expect(mine.getByRole('status').textContent()).resolves.toContain('Документ действителен.');
    await expect(mine.locator('dl').textContent()).resolves.toContain('Иванова Мария Сергеевна');
    // The diploma names the issuing organisation, its city and signatories (the demo's details).
    expect(text).toContain('Смоленское региональное отделение');
    expect(text).toContain('г. Смоленск');
    await noHorizontalScroll(mine);

    // «Снять с публикации»: the diploma is no longer shown as valid without a word.
    const unpublished = await fetch(`${server.url}/api/contests/${regionalId}/results/unpublish`, {
      method: 'POST',
      headers: { origin: server.url, cookie: await organizerCookie() },
    });
    expect(unpublished.status).toBe(200);
    await mine.goto(`${server.url}/verify/${code}`);
    await expect(mine.getByRole('status').textContent()).resolves.toContain('Итоги мероприятия пересматриваются');

    // A code cut short is a known refusal with its own words, not «Что-то пошло не так».
    await mine.goto(`${server.url}/verify/${'7'.repeat(41)}`);
    await expect(mine.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Код не распознан');
    await expect(mine.locator('main, body').first().textContent()).resolves.not.toContain('Что-то пошло не так');
    // Past the look-up limit the page shows the API's own message, with how long to wait.
    let status = 0;
    for (let i = 0; i < 2000 && status !== 429; i++)
      status = (await fetch(`${server.url}/api/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ`)).status;
    expect(status).toBe(429);
    await mine.goto(`${server.url}/verify/${code}`);
    await expect(mine.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Слишком много проверок подряд');
    await expect(mine.getByRole('alert').textContent()).resolves.toMatch(/Повторите через \d+/);
    await expect(mine.locator('body').textContent()).resolves.not.toContain('Что-то пошло не так');
    await noHorizontalScroll(mine);
    await applicant.close();
  }, 120_000);
});
