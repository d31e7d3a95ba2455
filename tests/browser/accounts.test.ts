import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

/**
 * Accounts on a 375-px phone: «Забыли пароль?» → the letter in the outbox → a new password (issue #13, item 1); the
 * confirmation of the address and «Сменить пароль» (item 3); an invitation to a jury bound to its address (#11, item 5).
 */

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

const APPLICANT = { email: 'applicant@demo.konkurs.local', password: 'applicant-demo-1' };
const ORGANIZER = { email: 'organizer@demo.konkurs.local', password: 'organizer-demo-1' };
const NEW_PASSWORD = 'сирень цветёт у школы';

/** The organizer reads the newest letter to this address at «Почта» and returns its link of the given path. */
async function linkFromOutbox(page: Page, to: string, path: string): Promise<string> {
  await page.goto(`${server.url}/admin/outbox?to=${encodeURIComponent(to)}`);
  const letter = page.locator('article.mail').first();
  const text = (await letter.locator('pre').textContent()) ?? '';
  const match = new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}${path}[a-z2-7]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in the letter to ${to}:\n${text}`);
  await noHorizontalScroll(page);
  return match[0];
}

describe('accounts in Chromium on a phone', () => {
  it('asks for a link, reads it in the outbox, sets a new password and ends the other session', async () => {
    // A session left open on another device: the new password must end it.
    const otherDevice = await phoneContext(browser);
    const otherPage = await otherDevice.newPage();
    await signIn(otherPage, server.url, APPLICANT.email, APPLICANT.password, '/account');

    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await page.goto(`${server.url}/login`);
    await settled(page);
    await page.getByRole('link', { name: 'Забыли пароль?' }).click();
    await page.waitForURL(/\/forgot-password$/);
    await settled(page);
    await noHorizontalScroll(page);
    await page.getByLabel('Электронная почта').fill(APPLICANT.email);
    await page.getByRole('button', { name: 'Прислать ссылку' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Если этот адрес зарегистрирован');

    const organizerPhone = await phoneContext(browser);
    const organizerPage = await organizerPhone.newPage();
    await signIn(organizerPage, server.url, ORGANIZER.email, ORGANIZER.password);
    const link = await linkFromOutbox(organizerPage, APPLICANT.email, '/reset-password/');
    await expect(organizerPage.locator('article.mail').first().getByRole('heading').textContent()).resolves.toBe(
      'Новый пароль для входа в Konkurs',
    );

    await page.goto(link);
    await settled(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Новый пароль');
    await noHorizontalScroll(page);
    // A common password is refused at its field, which says why.
    await page.getByLabel('Новый пароль').fill('qwerty123456');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await expect(page.locator('#field-password-error').textContent()).resolves.toContain('распространён');
    await expect(page.getByLabel('Новый пароль').getAttribute('aria-invalid')).resolves.toBe('true');
    await noHorizontalScroll(page);

    await page.getByLabel('Новый пароль').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.waitForURL(/\/account\?password=reset$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Новый пароль сохранён');
    await expect(page.locator('header').textContent()).resolves.toContain('Иванова Мария Сергеевна');
    await noHorizontalScroll(page);

    // The other device is signed out.
    await otherPage.reload();
    await otherPage.waitForURL(/\/login/);
    await expect(otherPage.getByRole('link', { name: 'Войти' }).isVisible()).resolves.toBe(true);

    // The link worked once.
    await page.goto(link);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('не действует');
    await expect(page.getByRole('link', { name: 'Запросить новую ссылку' }).isVisible()).resolves.toBe(true);

    // The old password no longer opens the account; the new one does.
    const fresh = await phoneContext(browser);
    const freshPage = await fresh.newPage();
    await freshPage.goto(`${server.url}/login`);
    await settled(freshPage);
    await freshPage.getByLabel('Электронная почта').fill(APPLICANT.email);
    await freshPage.getByLabel('Пароль').fill(APPLICANT.password);
    await freshPage.getByRole('button', { name: 'Войти' }).click();
    await expect(freshPage.getByRole('alert').textContent()).resolves.toBe(
      'Неверный адрес электронной почты или пароль.',
    );
    await signIn(freshPage, server.url, APPLICANT.email, NEW_PASSWORD);

    // The letter that says the password changed is in the outbox too.
    await organizerPage.goto(`${server.url}/admin/outbox?to=${encodeURIComponent(APPLICANT.email)}`);
    await expect(organizerPage.locator('article.mail h2').allTextContents()).resolves.toContain('Пароль изменён');

    for (const c of [otherDevice, phone, organizerPhone, fresh]) await c.close();
  });

  it('registers, is reminded to confirm the address, confirms it by the link, and changes the password in the profile', async () => {
    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    const email = `confirm-${Date.now()}@example.ru`;
    await page.goto(`${server.url}/register`);
    await settled(page);
    await page.getByLabel('Фамилия').fill('Орлова');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Анна');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль').fill('первый пароль анны');
    await page.getByLabel(/даю согласие/).check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.waitForURL(/\/account\?welcome=1$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      `На адрес ${email} отправлено письмо`,
    );

    // Elsewhere on the platform the reminder stays until the address is confirmed.
    await page.goto(`${server.url}/`);
    await expect(
      page.getByRole('region', { name: 'Подтвердите адрес электронной почты.' }).textContent(),
    ).resolves.toContain(email);
    await noHorizontalScroll(page);

    const organizerPhone = await phoneContext(browser);
    const organizerPage = await organizerPhone.newPage();
    await signIn(organizerPage, server.url, ORGANIZER.email, ORGANIZER.password);
    const link = await linkFromOutbox(organizerPage, email, '/confirm-email/');
    await page.goto(link);
    await expect(page.getByRole('status').textContent()).resolves.toBe(`Адрес ${email} подтверждён.`);
    await page.goto(`${server.url}/`);
    await expect(page.getByRole('region', { name: 'Подтвердите адрес электронной почты.' }).count()).resolves.toBe(0);

    await page.goto(`${server.url}/account`);
    await settled(page);
    await expect(page.locator('main').textContent()).resolves.toContain(`${email} (подтверждён)`);
    await page.getByLabel('Текущий пароль').fill('не тот пароль вовсе');
    await page.getByLabel('Новый пароль').fill('второй пароль анны');
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect(page.locator('#field-currentPassword-error').textContent()).resolves.toBe(
      'Текущий пароль указан неверно.',
    );
    await page.getByLabel('Текущий пароль').fill('первый пароль анны');
    await page.getByLabel('Новый пароль').fill('второй пароль анны');
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Пароль изменён');
    await noHorizontalScroll(page);
    await phone.close();
    await organizerPhone.close();
  });

  it('an invitation to a jury opened while signed in with another address says so, and signs out to sign in again', async () => {
    const organizerPhone = await phoneContext(browser);
    const organizerPage = await organizerPhone.newPage();
    await signIn(organizerPage, server.url, ORGANIZER.email, ORGANIZER.password);
    const contest = (
      await (
        await organizerPhone.request.get(`${server.url}/api/contests/by-slug/luchshiy-predsedatel-tos-smolensk`)
      ).json()
    ).contest;
    const invited = `juror-${Date.now()}@example.ru`;
    const added = await organizerPhone.request.post(`${server.url}/api/contests/${contest.id}/jury/members`, {
      data: { email: invited },
    });
    expect(added.status()).toBe(201);
    const link = await linkFromOutbox(organizerPage, invited, '/jury/invite/');
    await organizerPhone.close();

    // The demo juror opens it: the invitation is for another address.
    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await signIn(page, server.url, 'juror@demo.konkurs.local', 'juror-demo-1');
    await page.goto(link);
    await settled(page);
    await expect(page.locator('#invitation-advice').textContent()).resolves.toContain(
      `а вы вошли как juror@demo.konkurs.local`,
    );
    await expect(page.getByRole('button', { name: 'Принять приглашение' }).count()).resolves.toBe(0);
    await noHorizontalScroll(page);
    await page.getByRole('button', { name: `Выйти и войти с адресом ${invited}` }).click();
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('next') === new URL(link).pathname,
    );
    await expect(page.locator('header').textContent()).resolves.not.toContain('Соколов');
    await phone.close();
  });
});
