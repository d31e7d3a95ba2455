import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { solidPng } from '../../db/src/seed/demo-applications.ts';
import { EXE_HEADER } from '../helpers/contest.ts';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

// Issue #13, item 12: the small things applicants hit, on a 375-px phone against the production process.
let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

const CITY = '/contests/luchshiy-predsedatel-tos-smolensk';
const REGION = '/contests/luchshiy-rukovoditel-tos-smolenskoy-oblasti';
const APPLICANT = { email: 'applicant@demo.konkurs.local', password: 'applicant-demo-1' };
const ORGANIZER = { email: 'organizer@demo.konkurs.local', password: 'organizer-demo-1' };
const PHONE_HEIGHT = 740;

/** The demo applicant on the page of their draft in the city contest (open for applications). */
async function openDraft(page: Page): Promise<string> {
  await signIn(page, server.url, APPLICANT.email, APPLICANT.password, '/applications');
  await page.getByRole('link', { name: 'Черновик заявки' }).click();
  await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
  await settled(page);
  return page.url();
}

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName,
      id: el?.id,
      role: el?.getAttribute('role'),
      file: el?.dataset.file,
      text: el?.innerText,
    };
  });

describe('applicant edges on a phone (issue #13, item 12)', () => {
  it('(c) «зарегистрируйтесь» and «Войти» on a contest page come back to the contest', async () => {
    const phone = await phoneContext(browser);
    // Registration hashes a password: allow for a busy two-core machine.
    phone.setDefaultTimeout(20_000);
    const page = await phone.newPage();
    await page.goto(`${server.url}${CITY}`);
    await page.getByRole('link', { name: 'зарегистрируйтесь' }).first().click();
    await page.waitForURL((url) => url.pathname === '/register');
    await settled(page);
    // Its «Войдите» keeps the way back too.
    await expect(page.locator('main').getByRole('link', { name: 'Войдите' }).getAttribute('href')).resolves.toBe(
      `/login?next=${encodeURIComponent(CITY)}`,
    );
    await page.getByLabel('Фамилия').fill('Лебедев');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Игорь');
    await page.getByLabel('Электронная почта').fill('lebedev.edges@example.ru');
    await page.getByLabel('Пароль').fill('длинный-пароль-для-тос');
    await page.getByLabel(/даю согласие/).check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.waitForURL((url) => url.pathname === CITY, { timeout: 30_000 });
    await page
      .getByRole('button', { name: /^Подать заявку в номинации/ })
      .first()
      .waitFor();
    await phone.close();

    const other = await phoneContext(browser);
    const visitor = await other.newPage();
    await visitor.goto(`${server.url}${CITY}`);
    await visitor.locator('header').getByRole('link', { name: 'Войти' }).click();
    await visitor.waitForURL((url) => url.pathname === '/login');
    await settled(visitor);
    await expect(
      visitor.locator('main').getByRole('link', { name: 'Зарегистрируйтесь' }).getAttribute('href'),
    ).resolves.toBe(`/register?next=${encodeURIComponent(CITY)}`);
    await visitor.getByLabel('Электронная почта').fill(APPLICANT.email);
    await visitor.getByLabel('Пароль').fill(APPLICANT.password);
    await visitor.getByRole('button', { name: 'Войти' }).click();
    await visitor.waitForURL((url) => url.pathname === CITY);
    await other.close();
  });

  it('(a, h) words in a number field and a future founding date are refused at their fields and not stored; (g, e) a refused submission lists every problem as links and takes focus', async () => {
    const phone = await phoneContext(browser);
    phone.setDefaultTimeout(20_000);
    const page = await phone.newPage();
    const url = await openDraft(page);
    const api = `${server.url}/api${new URL(url).pathname}`;
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);

    await page.getByLabel('Дата создания ТОС').fill(tomorrow);
    await page.getByLabel('Число жителей на территории ТОС').fill('около тысячи');
    await page
      .getByText(/Черновик сохранён в [\d:]+, кроме полей «Дата создания ТОС», «Число жителей на территории ТОС»/)
      .waitFor();
    await expect(page.locator('#answer-residents-error').textContent()).resolves.toContain(
      'Поле «Число жителей на территории ТОС»: введите число',
    );
    await expect(page.locator('#answer-founded-error').textContent()).resolves.toContain('не может быть позже');
    const saved = (await (await page.request.get(api)).json()).application;
    expect(saved.answers.residents).toBeUndefined();
    expect(saved.answers.founded).toBeUndefined();
    expect(saved.answers.tos_name).toBe('ТОС «Покровка»');

    await page.getByRole('button', { name: 'Подать заявку' }).click();
    await page.waitForLoadState('load');
    await settled(page);
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('Заявка не подана');
    // Focus is on the summary, so it is on the screen and read out.
    expect(await focused(page)).toMatchObject({ role: 'alert' });
    const box = await summary.evaluate((el) => el.getBoundingClientRect().toJSON() as { top: number; bottom: number });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(PHONE_HEIGHT);
    // Every problem is listed, each a link to its field: the two refused answers and every required field still empty.
    const expected = ['founded', 'residents', ...Object.keys(saved.missing)].map((k) => `#answer-${k}`).sort();
    const links = summary.getByRole('link');
    expect((await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort()).toEqual(expected);
    for (const href of expected) expect(await page.locator(href).count(), href).toBe(1);
    // What was typed is still there, and a link moves focus to its field.
    await expect(page.getByLabel('Число жителей на территории ТОС').inputValue()).resolves.toBe('около тысячи');
    await links.filter({ hasText: 'Число жителей' }).click();
    expect(await focused(page)).toMatchObject({ id: 'answer-residents' });
    await noHorizontalScroll(page);
    await phone.close();
  });

  it('(g, e) a refused submission: the summary takes focus and lists every missing field, each a link that focuses it', async () => {
    const phone = await phoneContext(browser);
    phone.setDefaultTimeout(20_000);
    const page = await phone.newPage();
    const url = await openDraft(page);
    const { missing } = (await (await page.request.get(`${server.url}/api${new URL(url).pathname}`)).json())
      .application;
    expect(Object.keys(missing).length).toBeGreaterThan(2);
    await page.getByRole('button', { name: 'Подать заявку' }).click();
    await page.waitForLoadState('load');
    await settled(page);
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain(`исправьте поля (${Object.keys(missing).length})`);
    expect(await focused(page)).toMatchObject({ role: 'alert' });
    const box = await summary.evaluate((el) => el.getBoundingClientRect().toJSON() as { top: number; bottom: number });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(PHONE_HEIGHT);
    const links = summary.getByRole('link');
    expect(await links.allTextContents()).toEqual(Object.values(missing));
    // The last one (the consent, at the bottom of the form) moves focus to its checkbox.
    await links.last().click();
    expect(await focused(page)).toMatchObject({ id: 'answer-consent' });
    await phone.close();
  });

  it('(e, f) after an upload focus is on the new file; a refused or failed upload says why at the field and can be retried', async () => {
    const phone = await phoneContext(browser);
    phone.setDefaultTimeout(20_000);
    const page = await phone.newPage();
    await openDraft(page);
    const photos = page.getByLabel('Фотографии');
    const field = page.locator('.field', { has: page.locator('#answer-photos') });

    await photos.setInputFiles({ name: 'двор.png', mimeType: 'image/png', buffer: solidPng(40, 30, [30, 120, 200]) });
    await page.getByText('Файл «двор.png» загружен.', { exact: true }).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'LI' });
    expect((await focused(page)).text).toContain('двор.png');

    // The wrong type, by its content.
    await photos.setInputFiles({ name: 'фото.png', mimeType: 'image/png', buffer: EXE_HEADER });
    await page.getByText('Файл «фото.png» не загружен.', { exact: true }).waitFor();
    await expect(page.locator('#answer-photos-error').textContent()).resolves.toContain('не подходит');
    await expect(field.textContent()).resolves.not.toContain('Загружается');
    expect(await focused(page)).toMatchObject({ id: 'answer-photos' });

    // Too big for the field (10 MB): said at once.
    const big = Buffer.concat([solidPng(4, 4, [0, 0, 0]), Buffer.alloc(11 * 1024 * 1024)]);
    await photos.setInputFiles({ name: 'большое.png', mimeType: 'image/png', buffer: big });
    await page.getByText('Файл «большое.png» не загружен.', { exact: true }).waitFor();
    await expect(page.locator('#answer-photos-error').textContent()).resolves.toContain('больше 10 МБ');

    // The network fails: said so; then the same file again goes through.
    const uploads = (u: URL) => u.pathname.endsWith('/files');
    await page.route(uploads, (route) => route.abort('internetdisconnected'));
    const again = { name: 'субботник.png', mimeType: 'image/png', buffer: solidPng(40, 30, [200, 60, 60]) };
    await photos.setInputFiles(again);
    await page.getByText('Файл «субботник.png» не загружен.', { exact: true }).waitFor();
    await expect(page.locator('#answer-photos-error').textContent()).resolves.toContain('Нет связи с сервером');
    await expect(field.textContent()).resolves.not.toContain('Загружается');
    await page.unroute(uploads);
    await photos.setInputFiles(again);
    await page.getByText('Файл «субботник.png» загружен.', { exact: true }).waitFor();
    expect(await page.locator('#answer-photos-error').count()).toBe(0);
    expect((await focused(page)).text).toContain('субботник.png');
    await noHorizontalScroll(page);
    await phone.close();
  });

  it('(i) the organizer reads «место этой работы», the applicant «место вашей работы»', async () => {
    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await signIn(page, server.url, APPLICANT.email, APPLICANT.password, '/applications');
    const mine = (await (await page.request.get(`${server.url}/api/applications/mine`)).json()).applications as Array<{
      id: string;
      status: string;
      contest: { slug: string };
    }>;
    const accepted = mine.find((a) => a.status === 'accepted' && REGION.endsWith(a.contest.slug))!;
    await page.goto(`${server.url}/applications/${accepted.id}`);
    await expect(page.locator('main').textContent()).resolves.toContain('место вашей работы появится здесь');
    await phone.close();

    const organizerPhone = await phoneContext(browser);
    const organizer = await organizerPhone.newPage();
    await signIn(organizer, server.url, ORGANIZER.email, ORGANIZER.password);
    await organizer.goto(`${server.url}/applications/${accepted.id}`);
    const text = await organizer.locator('main').textContent();
    expect(text).toContain('место этой работы появится здесь');
    expect(text).not.toContain('вашей');
    await organizerPhone.close();
  });

  it('(b, d) after the deadline «Срок подачи истёк» is on the first screen, and long answers keep their line breaks', async () => {
    const phone = await phoneContext(browser);
    phone.setDefaultTimeout(20_000);
    const page = await phone.newPage();
    const url = await openDraft(page);
    await page
      .getByLabel('Описание деятельности за последний год')
      .fill('Первая строка: субботник.\nВторая строка: праздник двора.');
    await page.getByText(/Черновик сохранён в/).waitFor();

    // The organizer closes the contest's applications a minute ago.
    const organizerPhone = await phoneContext(browser);
    const organizer = await organizerPhone.newPage();
    await signIn(organizer, server.url, ORGANIZER.email, ORGANIZER.password);
    const contest = (
      await (await organizer.request.get(`${server.url}/api/contests/by-slug/${CITY.split('/')[2]}`)).json()
    ).contest;
    const closed = await organizer.request.put(`${server.url}/api/contests/${contest.id}`, {
      data: {
        title: contest.title,
        description: contest.description,
        rulesMarkdown: contest.rulesMarkdown,
        applicationsOpenAt: contest.applicationsOpenAt,
        applicationsCloseAt: new Date(Date.now() - 60_000).toISOString(),
        reviewEndAt: contest.reviewEndAt,
        resultsAt: contest.resultsAt,
        numberPrefix: contest.numberPrefix,
        multiplePerNomination: contest.multiplePerNomination,
        nominations: contest.nominations,
      },
    });
    expect(closed.status(), await closed.text()).toBe(200);

    // As the applicant comes back to it: a new tab, at the top of the page.
    await page.close();
    const later = await phone.newPage();
    await later.goto(url);
    const notice = later.locator('.alert', { hasText: 'Срок подачи истёк' });
    const box = await notice.evaluate((el) => el.getBoundingClientRect().toJSON() as { top: number; bottom: number });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(PHONE_HEIGHT);
    const about = (p: Page) =>
      p.locator('.field', { hasText: 'Описание деятельности за последний год' }).locator('.answer').innerText();
    await expect(about(later)).resolves.toBe('Первая строка: субботник.\nВторая строка: праздник двора.');
    await noHorizontalScroll(later);

    await organizer.goto(url);
    await expect(about(organizer)).resolves.toBe('Первая строка: субботник.\nВторая строка: праздник двора.');
    await phone.close();
    await organizerPhone.close();
  });
});
