import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { noHorizontalScroll, phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import { pdfText } from '../helpers/pdf.ts';
import type { RunningServer } from '../helpers/server-process.ts';

const REGION_SLUG = 'luchshiy-rukovoditel-tos-smolenskoy-oblasti';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

/** A new page of the context, signed in. */
async function signedIn(context: BrowserContext, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, server.url, email, password);
  return page;
}

describe('the jury results on a phone', () => {
  it('the organizer reads the regional table, publishes it confirming missing sheets, and the public page shows the places', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await signedIn(context, 'organizer@demo.konkurs.local', 'organizer-demo-1');

    const contests = (await (await context.request.get(`${server.url}/api/admin/contests`)).json()).contests as {
      id: string;
      slug: string;
    }[];
    const region = contests.find((c) => c.slug === REGION_SLUG)!;
    await page.goto(`${server.url}/admin/contests/${region.id}`);
    await page.getByRole('link', { name: 'Итоги жюри' }).click();
    await page.waitForURL(/\/results$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Итоги работы жюри');

    const table = page.getByRole('region', { name: /^Таблица итогов: Лучший председатель совета/ });
    const rassvet = table.getByRole('row').filter({ hasText: 'ТОС «Рассвет»' });
    await expect(rassvet.textContent()).resolves.toContain('1 место');
    await expect(rassvet.textContent()).resolves.toContain('44');
    const luch = table.getByRole('row').filter({ hasText: 'ТОС «Луч»' });
    await expect(luch.textContent()).resolves.toContain('Сильное расхождение: от 20 до 44 (разброс 24)');
    await expect(table.getByRole('row').filter({ hasText: 'ТОС «Заречье»' }).textContent()).resolves.toContain(
      'Равенство оценок решил критерий «Работа с жителями»',
    );
    // The wide table scrolls inside its own box; the page itself does not.
    const box = await table.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client);
    await noHorizontalScroll(page);

    // Publishing asks for a confirmation, which names the missing sheets.
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect(page.locator('#confirm-error').textContent()).resolves.toContain('Отметьте');
    await page.getByLabel('Опубликовать, хотя отправлено 24 из 26 оценочных листов').check();
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Итоги опубликованы' }).textContent()).resolves.toContain(
      'Писем заявителям: 7',
    );
    await expect(page.getByRole('button', { name: 'Снять с публикации' }).isVisible()).resolves.toBe(true);
    // «Проверить итоги» recomputes the published places from the sheets (issue 11, item 8).
    await page.getByRole('button', { name: 'Проверить итоги' }).click();
    await expect(page.locator('#check').textContent()).resolves.toContain('Проверено работ: 7');
    await expect(page.locator('#check').textContent()).resolves.toContain('Расхождений нет');
    await noHorizontalScroll(page);
    // The meeting's details go into the protocol (issue 11, item 6).
    await page.getByText('Заседание жюри (для протокола)').click();
    await page.getByLabel('Номер протокола').fill('3');
    await page.getByLabel('Дата заседания').fill('2026-12-15');
    await page.getByLabel('Место заседания').fill('г. Смоленск');
    await page.getByLabel('Тихонов Михаил Андреевич').check();
    await page.getByRole('button', { name: 'Сохранить сведения о заседании' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Сведения о заседании сохранены' }).count()).resolves.toBe(
      1,
    );
    await noHorizontalScroll(page);
    const protocol = pdfText(
      await (await context.request.get(`${server.url}/api/contests/${region.id}/protocol.pdf`)).body(),
    ).replace(/\s+/g, ' ');
    expect(protocol).toContain('ПРОТОКОЛ № 3');
    expect(protocol).toContain('15 декабря 2026 г.');
    expect(protocol).toContain('В заседании участвовали 4 из 5 членов жюри');
    await context.close();

    // Anyone, signed in or not, finds the results from the contest's page.
    const visitor = await phoneContext(browser);
    const pub = await visitor.newPage();
    await pub.goto(`${server.url}/contests/${REGION_SLUG}`);
    await pub.getByRole('link', { name: 'Итоги конкурса' }).click();
    await pub.waitForURL(/\/results$/);
    const first = pub.locator('ol.winners li').first();
    await expect(first.textContent()).resolves.toMatch(/1 место.*ТОС «Рассвет», Иванова Мария Сергеевна/);
    await expect(pub.locator('main').textContent()).resolves.not.toMatch(/\b44\b/);
    await noHorizontalScroll(pub);
    await visitor.close();

    // The applicant sees the place on her application.
    const applicant = await phoneContext(browser);
    const own = await signedIn(applicant, 'applicant@demo.konkurs.local', 'applicant-demo-1');
    const mine = (await (await applicant.request.get(`${server.url}/api/applications/mine`)).json()).applications as {
      id: string;
      status: string;
    }[];
    await own.goto(`${server.url}/applications/${mine.find((a) => a.status === 'accepted')!.id}`);
    await expect(own.getByRole('region', { name: 'Итоги конкурса' }).textContent()).resolves.toContain(
      '1 место в номинации',
    );
    await noHorizontalScroll(own);
    await applicant.close();
  });

  it('the jury chair reaches the same table from the contest page, read-only', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await signedIn(context, 'chair@demo.konkurs.local', 'chair-demo-1');
    await page.goto(`${server.url}/contests/${REGION_SLUG}`);
    await page.getByRole('link', { name: 'Итоги работы жюри (для председателя жюри)' }).click();
    await page.waitForURL(/\/admin\/contests\/[0-9a-f-]{36}\/results$/);
    const table = page.getByRole('region', { name: /^Таблица итогов: Лучший председатель совета/ });
    await expect(table.getByRole('row').filter({ hasText: 'ТОС «Рассвет»' }).textContent()).resolves.toContain(
      '1 место',
    );
    await expect(page.getByText('Вы видите итоги как председатель жюри').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Снять с публикации' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Изменить место' }).count()).resolves.toBe(0);
    await noHorizontalScroll(page);
    await context.close();
  });
  it('the organizer opens an entry’s report from the results table and reads every juror’s sheet (issue 11, item 8)', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await signedIn(context, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    const contests = (await (await context.request.get(`${server.url}/api/admin/contests`)).json()).contests as {
      id: string;
      slug: string;
    }[];
    const region = contests.find((c) => c.slug === REGION_SLUG)!;
    await page.goto(`${server.url}/admin/contests/${region.id}/results`);
    await page.getByRole('link', { name: 'Отчёт по работе: ТОС «Заречье»' }).click();
    await page.waitForURL(/\/results\/entries\/[0-9a-f-]+$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Отчёт по работе РТОС-2026-007');
    const sheets = page.getByRole('region', { name: 'Оценочные листы' });
    const table = sheets.getByRole('table', { name: /Баллы каждого члена жюри по критериям/ });
    for (const juror of ['Белова', 'Демидов', 'Орлова', 'Тихонов'])
      await expect(table.getByRole('columnheader', { name: new RegExp(juror) }).count()).resolves.toBe(1);
    const total = table.getByRole('row').filter({ hasText: 'Итог члена жюри' });
    await expect(total.textContent()).resolves.toMatch(/50\s*41\s*39\s*40\s*40/);
    await expect(page.getByText('(41 + 39 + 40 + 40) / 4 = 40.').isVisible()).resolves.toBe(true);
    await expect(page.getByText(/Порядок определил критерий «Работа с жителями»/).isVisible()).resolves.toBe(true);
    // The table scrolls inside its own box; the page itself does not, and the table's caption stays readable.
    await noHorizontalScroll(page);
    const caption = await table.locator('caption').boundingBox();
    expect(caption!.x).toBeGreaterThanOrEqual(0);
    expect(caption!.x + caption!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    const pdfLink = page.getByRole('link', { name: 'Скачать PDF' });
    const pdf = await context.request.get(new URL((await pdfLink.getAttribute('href'))!, server.url).toString());
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdfText(await pdf.body())).toContain('ОТЧЁТ');
    await context.close();
  });
});
