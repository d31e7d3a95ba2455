import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, seedDemo } from '@konkurs/db';
import { localDiskStorage } from '../../server/src/modules/files/storage.ts';
import { signIn } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from '../helpers/contest.ts';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';
import { join } from 'node:path';

let t: TestDb;
let h: ApplicationsTestApp;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  const storage = localDiskStorage(join(h.filesDir, 'files'));
  expect(await seedDemo(t.db, { hashPassword, storeFile: (bytes) => storage.put(Readable.from([bytes])) })).toBe(true);
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

const account = (label: string) => DEMO_ACCOUNTS.find((a) => a.label.startsWith(label))!;

describe('demo applications', () => {
  test('each TOS contest has applications in various states, with attachments that download', async () => {
    const { app } = h;
    const organizer = await signIn(app, account('организатор').email, account('организатор').password);
    const contests = (
      await app.inject({ method: 'GET', url: '/api/admin/contests', headers: { cookie: organizer } })
    ).json().contests;
    expect(contests).toHaveLength(2);
    const byStatus: Record<string, Record<string, number>> = {};
    for (const c of contests) {
      const list = (
        await app.inject({ method: 'GET', url: `/api/contests/${c.id}/applications`, headers: { cookie: organizer } })
      ).json();
      byStatus[c.slug] = list.counts.byStatus;
      expect(list.municipalities.length).toBeGreaterThan(0);
    }
    expect(byStatus['luchshiy-predsedatel-tos-smolensk']).toEqual({ submitted: 2, returned: 1, draft: 1 });
    expect(byStatus['luchshiy-rukovoditel-tos-smolenskoy-oblasti']).toEqual({
      accepted: 7,
      submitted: 1,
      rejected: 1,
      withdrawn: 1,
    });

    // The demo applicant sees her own: a draft to finish in the open contest and an accepted one.
    const applicant = await signIn(app, account('заявитель').email, account('заявитель').password);
    const mine = (
      await app.inject({ method: 'GET', url: '/api/applications/mine', headers: { cookie: applicant } })
    ).json().applications;
    expect(mine.map((a: { status: string }) => a.status).sort()).toEqual(['accepted', 'draft']);
    const accepted = mine.find((a: { status: string }) => a.status === 'accepted');
    expect(accepted.registrationNumber).toMatch(/^РТОС-\d{4}-001$/);
    const view = (
      await app.inject({ method: 'GET', url: `/api/applications/${accepted.id}`, headers: { cookie: applicant } })
    ).json().application;
    expect(view.files.map((f: { mimeType: string }) => f.mimeType).sort()).toEqual(['application/pdf', 'image/png']);
    expect(view.history.map((s: { to: string }) => s.to)).toEqual(['draft', 'submitted', 'accepted']);
    const photo = view.files.find((f: { mimeType: string }) => f.mimeType === 'image/png');
    const download = await app.inject({ method: 'GET', url: `/api/files/${photo.id}`, headers: { cookie: applicant } });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(1, 4).toString()).toBe('PNG');

    // The form offers the municipalities of the Smolensk region.
    const form = (await app.inject({ method: 'GET', url: `/api/contests/${contests[0].id}/form` })).json().form;
    const municipality = form.fields.find((f: { key: string }) => f.key === 'municipality');
    expect(municipality.options).toHaveLength(27);
    expect(municipality.options).toContain('город Смоленск');

    // The next submission in the city contest continues the numbering after the demo ones.
    const city = contests.find((c: { slug: string }) => c.slug === 'luchshiy-predsedatel-tos-smolensk');
    const row = await t.db
      .selectFrom('contests')
      .select(['last_number', 'number_prefix'])
      .where('id', '=', city.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ last_number: 3, number_prefix: 'ТОС' });
  });
});
