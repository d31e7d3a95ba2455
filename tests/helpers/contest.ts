import { deflateSync } from 'node:zlib';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@konkurs/db';
import { buildApp } from '@konkurs/server';
import { localDiskStorage } from '../../server/src/modules/files/storage.ts';
import type { MailTransport } from '../../server/src/modules/mail/outbox.ts';
import type { FormField } from '../../server/src/modules/forms/definition.ts';
import { createUserInDb, registerUser, signIn, testConfig, uniqueIp, type App, type Registered } from './app.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A clock the tests move: the server reads the time only through it. */
export function testClock(start = new Date()) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set(at: Date) {
      current = at.getTime();
    },
    advance(ms: number) {
      current += ms;
    },
  };
}

export interface ApplicationsTestApp {
  app: App;
  clock: ReturnType<typeof testClock>;
  filesDir: string;
  /** Every file the storage holds (to prove a refused upload leaves nothing). */
  storedFiles(): string[];
  cleanup(): Promise<void>;
}

export async function buildApplicationsApp(
  db: Db,
  options: { mailTransport?: MailTransport; env?: Record<string, string> } = {},
): Promise<ApplicationsTestApp> {
  const filesDir = mkdtempSync(join(tmpdir(), 'konkurs-files-'));
  const clock = testClock();
  const app = await buildApp({
    db,
    config: testConfig({ DATA_DIR: filesDir, ...options.env }),
    logger: options.env?.LOG_LEVEL ? { level: options.env.LOG_LEVEL } : false,
    storage: localDiskStorage(join(filesDir, 'files')),
    now: clock.now,
    mailTransport: options.mailTransport,
  });
  await app.ready();
  return {
    app,
    clock,
    filesDir,
    storedFiles() {
      const root = join(filesDir, 'files');
      if (!existsSync(root)) return [];
      return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => join(d, f)));
    },
    async cleanup() {
      await app.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export const MUNICIPALITIES = ['город Смоленск', 'город Десногорск', 'Вяземский', 'Гагаринский'];

/** A form with one field of every kind. */
export function everyKindForm(): FormField[] {
  return [
    { key: 'org', kind: 'text', label: 'Название ТОС', required: true, personal: false, maxLength: 50 },
    { key: 'about', kind: 'textarea', label: 'Описание работы', required: true, personal: false, maxLength: 200 },
    {
      key: 'members',
      kind: 'number',
      label: 'Число жителей',
      required: false,
      personal: false,
      min: 1,
      max: 100000,
      integer: true,
    },
    { key: 'founded', kind: 'date', label: 'Дата создания ТОС', required: false, personal: false, notFuture: true },
    { key: 'email', kind: 'email', label: 'Электронная почта для связи', required: false, personal: true },
    { key: 'phone', kind: 'phone', label: 'Телефон', required: true, personal: true },
    {
      key: 'municipality',
      kind: 'choice',
      label: 'Муниципальное образование',
      required: true,
      personal: false,
      options: MUNICIPALITIES,
    },
    {
      key: 'areas',
      kind: 'multichoice',
      label: 'Направления работы',
      required: false,
      personal: false,
      options: ['благоустройство', 'досуг', 'безопасность'],
      maxChoices: 2,
    },
    {
      key: 'registered',
      kind: 'yesno',
      label: 'ТОС зарегистрирован как юридическое лицо',
      required: false,
      personal: false,
    },
    {
      key: 'photos',
      kind: 'file',
      label: 'Фотографии',
      required: true,
      personal: false,
      accept: ['image', 'pdf'],
      maxSizeMb: 1,
      maxFiles: 2,
    },
    {
      key: 'consent',
      kind: 'consent',
      label: 'Согласие на обработку персональных данных',
      required: true,
      personal: false,
      consentText: 'Я согласен на обработку персональных данных по 152-ФЗ.',
    },
  ];
}

/** A complete, valid set of answers for everyKindForm (files apart). */
export function validAnswers(): Record<string, string | string[]> {
  return {
    org: 'ТОС «Родник»',
    about: 'Благоустроили двор.',
    members: '350',
    founded: '2015-04-21',
    email: 'tos@example.ru',
    phone: '8 (900) 123-45-67',
    municipality: 'Вяземский',
    areas: ['благоустройство', 'досуг'],
    registered: 'no',
    consent: 'yes',
  };
}

export async function organizerCookie(app: App, db: Db): Promise<string> {
  const organizer = await createUserInDb(db, { roles: ['organizer'] });
  return signIn(app, organizer.email, organizer.password);
}

export function contestBody(now: Date, overrides: Record<string, unknown> = {}) {
  return {
    title: 'Лучший ТОС года',
    slug: `luchshiy-tos-${Math.random().toString(36).slice(2, 8)}`,
    description: 'Конкурс для ТОС.',
    rulesMarkdown: '# Положение\n\n1. Заявки подаются онлайн.',
    applicationsOpenAt: new Date(now.getTime() - DAY).toISOString(),
    applicationsCloseAt: new Date(now.getTime() + 10 * DAY).toISOString(),
    reviewEndAt: new Date(now.getTime() + 20 * DAY).toISOString(),
    resultsAt: null,
    numberPrefix: 'ТОС',
    multiplePerNomination: false,
    // Open review, as contests were before the choice was asked for.
    juryBlind: false,
    nominations: [{ title: 'Лучший председатель ТОС' }, { title: 'Лучшая инициатива' }],
    ...overrides,
  };
}

/** Publishes a draft contest (contests start as drafts nobody else sees). */
export async function publishContest(app: App, cookie: string, contestId: string): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/contests/${contestId}/publication`,
    headers: { cookie },
    payload: { published: true },
  });
  if (res.statusCode !== 200) throw new Error(`publish contest answered ${res.statusCode}: ${res.body}`);
}

/** Creates a contest with the every-kind form and publishes it (unless `draft`); returns its id, slug and nominations. */
export async function createContestWithForm(
  app: App,
  cookie: string,
  now: Date,
  overrides: Record<string, unknown> = {},
  fields: FormField[] = everyKindForm(),
  options: { draft?: boolean } = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/contests',
    headers: { cookie },
    payload: contestBody(now, overrides),
  });
  if (res.statusCode !== 201) throw new Error(`create contest answered ${res.statusCode}: ${res.body}`);
  const contest = res.json().contest as { id: string; slug: string; nominations: Array<{ id: string; title: string }> };
  const form = await app.inject({
    method: 'PUT',
    url: `/api/contests/${contest.id}/form`,
    headers: { cookie },
    payload: { nominationId: null, fields },
  });
  if (form.statusCode !== 200) throw new Error(`save form answered ${form.statusCode}: ${form.body}`);
  if (!options.draft) await publishContest(app, cookie, contest.id);
  return contest;
}

/** A multipart body with one file, as a browser sends it. */
export function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----konkurs${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Small real files: a 1×1 PNG, a minimal PDF, a Windows executable header. */
export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const PDF_SMALL = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const EXE_HEADER = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(62),
  Buffer.from('PE\0\0'),
  Buffer.alloc(400, 1),
]);

export { DAY };

/**
 * Writes a contest's published results as the publication does (the snapshot in contest_results and
 * contests.results_published_at), with places chosen by the test: issuing is tested on exact places (a fourth place, a
 * participant) without a jury. The publication itself is tested through its route (tests/api/jury-results.test.ts), and
 * the J5 browser test publishes through it.
 */
export async function publishContestResults(
  db: Db,
  contestId: string,
  rows: {
    applicationId: string;
    nominationId: string;
    place: number | null;
    rank?: number | null;
    score?: number | null;
  }[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (rows.length) {
      await trx
        .insertInto('contest_results')
        .values(
          rows.map((r, i) => ({
            application_id: r.applicationId,
            contest_id: contestId,
            nomination_id: r.nominationId,
            place: r.place,
            rank: r.rank ?? i + 1,
            score: r.score ?? null,
          })),
        )
        .execute();
    }
    await trx.updateTable('contests').set({ results_published_at: new Date() }).where('id', '=', contestId).execute();
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real RGB PNG of the given size with a diagonal colour pattern, e.g. a logo for certificates. */
export function pngImage(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      raw.set([(x * 7) & 255, (y * 5) & 255, ((x + y) * 3) & 255], y * (width * 3 + 1) + 1 + x * 3);
  }
  return pngWithRows(width, height, raw);
}

/** An 8-bit RGB PNG whose IHDR says width × height and whose IDAT holds `raw` deflated, whatever its length. */
export function pngWithRows(width: number, height: number, raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const DAY_MS = 864e5;

/**
 * A contest whose applications closed 10 days ago, with one nomination and a form, an accepted application of each
 * person (registered through the API) and the given jurors in its jury.
 */
export async function closedContestWith(
  db: Db,
  app: App,
  people: [string, string, string | null][],
  jurors: [string, string, string][] = [],
) {
  const contest = await db
    .insertInto('contests')
    .values({
      slug: `life-${Math.random().toString(36).slice(2, 8)}`,
      title: 'Лучший председатель ТОС',
      applications_open_at: new Date(Date.now() - 30 * DAY_MS),
      applications_close_at: new Date(Date.now() - 10 * DAY_MS),
      review_end_at: new Date(Date.now() - 5 * DAY_MS),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const nomination = await db
    .insertInto('nominations')
    .values({ contest_id: contest.id, title: 'Лучший председатель совета ТОС', position: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const form = await db
    .insertInto('application_forms')
    .values({ contest_id: contest.id, nomination_id: null, version: 1, fields: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const entries: { applicant: Registered; applicationId: string }[] = [];
  for (const [lastName, firstName, middleName] of people) {
    const applicant = await registerUser(
      app,
      { lastName, firstName, ...(middleName ? { middleName } : {}) },
      { ip: uniqueIp() },
    );
    const a = await db
      .insertInto('applications')
      .values({
        contest_id: contest.id,
        nomination_id: nomination.id,
        applicant_id: applicant.user.id,
        form_id: form.id,
        status: 'accepted',
        answers: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    entries.push({ applicant, applicationId: a.id });
  }
  const jury = [];
  for (const [lastName, firstName, middleName] of jurors) {
    const juror = await createUserInDb(db, { lastName, firstName, middleName, roles: ['juror'] });
    await db
      .insertInto('jury_members')
      .values({ contest_id: contest.id, user_id: juror.id, is_chair: false })
      .execute();
    jury.push(juror);
  }
  return { contestId: contest.id, nominationId: nomination.id, entries, jury };
}
