import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueCertificates } from '../../server/src/modules/certificates/service.ts';
import { createUserInDb, isRussian, signIn, uniqueIp, type App } from '../helpers/app.ts';
import {
  buildApplicationsApp,
  multipart,
  PDF_SMALL,
  pngImage,
  pngWithRows,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { pdfImages, pdfPageCount, pdfText } from '../helpers/pdf.ts';

let t: TestDb;
let ctx: ApplicationsTestApp;
let app: App;
let organizer: string;
let stranger: string;

const LOGO = pngImage(240, 96);
const SIGNATURE = pngImage(160, 48);

beforeAll(async () => {
  t = await createTestDb();
  ctx = await buildApplicationsApp(t.db);
  app = ctx.app;
  const user = await createUserInDb(t.db, { roles: ['organizer'] });
  organizer = await signIn(app, user.email, user.password, { ip: uniqueIp() });
  const applicant = await createUserInDb(t.db, { roles: ['applicant'] });
  stranger = await signIn(app, applicant.email, applicant.password, { ip: uniqueIp() });
});

afterAll(async () => {
  await ctx?.cleanup();
  await t?.close();
});

async function newContest(): Promise<string> {
  const row = await t.db
    .insertInto('contests')
    .values({
      slug: `img-${Math.random().toString(36).slice(2, 8)}`,
      title: 'Лучший ТОС года',
      applications_open_at: new Date(Date.now() - 30 * 864e5),
      applications_close_at: new Date(Date.now() - 10 * 864e5),
      review_end_at: new Date(Date.now() - 5 * 864e5),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const upload = (contestId: string, kind: string, name: string, bytes: Buffer, cookie = organizer) => {
  const body = multipart(name, bytes);
  return app.inject({
    method: 'POST',
    url: `/api/certificate-images/${kind}?contestId=${contestId}`,
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
};

async function withSignatory(contestId: string) {
  const res = await app.inject({
    method: 'PUT',
    url: `/api/certificate-templates/participant?contestId=${contestId}`,
    headers: { cookie: organizer },
    payload: {
      title: 'СЕРТИФИКАТ',
      subtitle: 'участника',
      lead: 'подтверждает, что',
      body: 'принял(а) участие в конкурсе «{конкурс}»',
      orientation: 'landscape',
      place: 'г. Смоленск',
      signatories: [{ position: 'Председатель жюри', name: 'Н. В. Белова' }],
    },
  });
  expect(res.statusCode).toBe(200);
}

const recipients = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `test:${i}`, userId: null, name: `Участникова${i} Анна Сергеевна` }));

describe('logo and signature images', () => {
  test('refused: not an image by content, too big, not an organizer; nothing is stored', async () => {
    const contestId = await newContest();
    const before = ctx.storedFiles().length;
    const pdf = await upload(contestId, 'logo', 'logo.png', PDF_SMALL);
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.fields.file).toContain('PNG, JPEG');
    expect(isRussian(pdf.json().error.message)).toBe(true);
    // PNG by its first bytes, but bigger than 2 MB.
    const big = await upload(contestId, 'logo', 'big.png', Buffer.concat([LOGO, Buffer.alloc(2 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toContain('2 МБ');
    // A PNG by its header whose pixel data is broken would fail the PDFs later: refused now.
    const damaged = Buffer.from(LOGO);
    damaged.fill(0x5a, 60, 200);
    const broken = await upload(contestId, 'logo', 'broken.png', damaged);
    expect(broken.statusCode).toBe(415);
    expect(broken.json().error.message).toContain('повреждён');
    expect((await upload(contestId, 'logo', 'logo.png', LOGO, stranger)).statusCode).toBe(403);
    expect((await upload(contestId, 'stamp', 'logo.png', LOGO)).statusCode).toBe(400);
    expect(ctx.storedFiles()).toHaveLength(before);
    const list = await app.inject({
      method: 'GET',
      url: `/api/certificate-images?contestId=${contestId}`,
      headers: { cookie: organizer },
    });
    expect(list.json().images).toEqual([]);
  });

  test('a certificate issued with a logo and a signature prints both; the preview shows them too', async () => {
    const contestId = await newContest();
    await withSignatory(contestId);
    const logo = await upload(contestId, 'logo', 'Герб.png', LOGO);
    expect(logo.statusCode).toBe(200);
    expect(
      (await upload(contestId, 'signature', 'подпись.png', SIGNATURE))
        .json()
        .images.map((i: { kind: string; mimeType: string }) => [i.kind, i.mimeType]),
    ).toEqual([
      ['logo', 'image/png'],
      ['signature', 'image/png'],
    ]);

    const preview = await app.inject({
      method: 'GET',
      url: `/api/certificate-templates/participant/preview.pdf?contestId=${contestId}`,
      headers: { cookie: organizer },
    });
    expect(preview.statusCode).toBe(200);
    expect(new Set(pdfImages(preview.rawPayload).map((i) => i.object)).size).toBe(2);

    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: recipients(1),
    });
    const cert = await t.db
      .selectFrom('certificates')
      .select('id')
      .where('contest_id', '=', contestId)
      .executeTakeFirstOrThrow();
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: { cookie: organizer },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdfImages(pdf.rawPayload)).toHaveLength(2);
    expect(pdfText(pdf.rawPayload)).toContain('Председатель жюри');

    // Without images nothing is drawn.
    const plain = await newContest();
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId: plain },
      award: 'participant',
      issuedBy: null,
      recipients: recipients(1),
    });
    const plainCert = await t.db
      .selectFrom('certificates')
      .select('id')
      .where('contest_id', '=', plain)
      .executeTakeFirstOrThrow();
    expect(
      pdfImages(
        (
          await app.inject({
            method: 'GET',
            url: `/api/certificates/${plainCert.id}/pdf`,
            headers: { cookie: organizer },
          })
        ).rawPayload,
      ),
    ).toEqual([]);
  });

  test('a batch of 50 embeds each image once and grows by a few kilobytes a certificate', async () => {
    const contestId = await newContest();
    await withSignatory(contestId);
    await upload(contestId, 'logo', 'logo.png', LOGO);
    await upload(contestId, 'signature', 'sign.png', SIGNATURE);
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: recipients(1),
    });
    const one = (
      await app.inject({
        method: 'GET',
        url: `/api/certificates/batch.pdf?contestId=${contestId}`,
        headers: { cookie: organizer },
      })
    ).rawPayload;
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: recipients(50),
    });
    const batch = (
      await app.inject({
        method: 'GET',
        url: `/api/certificates/batch.pdf?contestId=${contestId}`,
        headers: { cookie: organizer },
      })
    ).rawPayload;
    expect(pdfPageCount(batch)).toBe(50);
    const images = pdfImages(batch);
    expect(images).toHaveLength(100);
    expect(new Set(images.map((i) => i.object)).size).toBe(2);
    // The images' bytes are in the one-page file already; each further page adds only text, the frame and the QR.
    expect(batch.length - one.length).toBeLessThan(49 * 5 * 1024);
  });

  test('images are frozen at issue: replacing or removing them changes only certificates issued afterwards', async () => {
    const contestId = await newContest();
    const first = (await upload(contestId, 'logo', 'old.png', LOGO)).json().images[0].fileId;
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: recipients(1),
    });
    const second = (await upload(contestId, 'logo', 'new.png', pngImage(120, 120))).json().images[0].fileId;
    expect(second).not.toBe(first);
    // The old file stays: an issued certificate prints it.
    expect(await t.db.selectFrom('stored_files').select('id').where('id', '=', first).executeTakeFirst()).toBeDefined();
    const issued = await t.db
      .selectFrom('certificates')
      .select(['id', 'logo_file_id'])
      .where('contest_id', '=', contestId)
      .executeTakeFirstOrThrow();
    expect(issued.logo_file_id).toBe(first);
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/certificates/${issued.id}/pdf`,
      headers: { cookie: organizer },
    });
    expect(pdfImages(pdf.rawPayload)).toHaveLength(1);

    // The unused new logo is deleted with its bytes when removed.
    const filesBefore = ctx.storedFiles().length;
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/certificate-images/logo?contestId=${contestId}`,
      headers: { cookie: organizer },
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().images).toEqual([]);
    expect(
      await t.db.selectFrom('stored_files').select('id').where('id', '=', second).executeTakeFirst(),
    ).toBeUndefined();
    expect(ctx.storedFiles()).toHaveLength(filesBefore - 1);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/certificate-images/logo?contestId=${contestId}`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(404);

    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: [{ key: 'later', userId: null, name: 'Позднева Ольга Ивановна' }],
    });
    const later = await t.db
      .selectFrom('certificates')
      .select('logo_file_id')
      .where('recipient_key', '=', 'later')
      .executeTakeFirstOrThrow();
    expect(later.logo_file_id).toBeNull();
  });

  test('a PNG that unpacks into more than it should is refused at once: a 4096×4096 image of 50 KB, or data beyond its header', async () => {
    const contestId = await newContest();
    const before = ctx.storedFiles().length;
    // 4096 × 4096 RGB: about 50 MB of pixels in a file of some 50 KB.
    const huge = pngWithRows(4096, 4096, Buffer.alloc((4096 * 3 + 1) * 4096));
    expect(huge.length).toBeLessThan(100 * 1024);
    const big = await upload(contestId, 'logo', 'huge.png', huge);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('image_too_large');
    expect(big.json().error.fields.file).toContain('4000');
    // A 100 × 100 header over 64 MB of zeros (62 KB compressed): unpacking stops at what the header declares.
    const bomb = pngWithRows(100, 100, Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const started = performance.now();
    const refused = await upload(contestId, 'logo', 'bomb.png', bomb);
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.message).toContain('повреждён');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ctx.storedFiles()).toHaveLength(before);
    // An ordinary logo is still accepted.
    expect((await upload(contestId, 'logo', 'logo.png', pngImage(1200, 400))).statusCode).toBe(200);
  });

  test("the organisation's logo is printed by every event without its own; an event's own takes its place", async () => {
    const orgUpload = (bytes: Buffer) => {
      const body = multipart('герб-организации.png', bytes);
      return app.inject({
        method: 'POST',
        url: '/api/certificate-images/logo?organisation=true',
        headers: { cookie: organizer, ...body.headers },
        payload: body.payload,
      });
    };
    const org = await orgUpload(LOGO);
    expect(org.statusCode, org.body).toBe(200);
    const orgFile = org.json().images[0].fileId;
    const contestId = await newContest();
    const listed = (
      await app.inject({
        method: 'GET',
        url: `/api/certificate-images?contestId=${contestId}`,
        headers: { cookie: organizer },
      })
    ).json().images;
    expect(listed).toEqual([expect.objectContaining({ kind: 'logo', fileId: orgFile, inherited: true })]);
    // Nothing of the event's own to remove.
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/certificate-images/logo?contestId=${contestId}`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(404);
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: [{ key: 'org-logo', userId: null, name: 'Гербова Ольга Ивановна' }],
    });
    expect(
      (
        await t.db
          .selectFrom('certificates')
          .select('logo_file_id')
          .where('recipient_key', '=', 'org-logo')
          .executeTakeFirstOrThrow()
      ).logo_file_id,
    ).toBe(orgFile);

    const own = (await upload(contestId, 'logo', 'свой.png', pngImage(100, 40))).json().images;
    expect(own).toEqual([expect.objectContaining({ kind: 'logo', inherited: false })]);
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: [{ key: 'own-logo', userId: null, name: 'Своя Ольга Ивановна' }],
    });
    expect(
      (
        await t.db
          .selectFrom('certificates')
          .select('logo_file_id')
          .where('recipient_key', '=', 'own-logo')
          .executeTakeFirstOrThrow()
      ).logo_file_id,
    ).toBe(own[0].fileId);
    // Organisation images are for organizers only.
    const body = multipart('x.png', LOGO);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/certificate-images/logo?organisation=true',
          headers: { cookie: stranger, ...body.headers },
          payload: body.payload,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: '/api/certificate-images/logo?organisation=true',
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(200);
  });
});
