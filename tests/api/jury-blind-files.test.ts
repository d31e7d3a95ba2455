import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import JSZip from 'jszip';
import { PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { DEMO_ACCOUNTS, seedDemo } from '@konkurs/db';
import { localDiskStorage, type FileStorage } from '../../server/src/modules/files/storage.ts';
import { cleanCopyKey } from '../../server/src/modules/files/clean-copy.ts';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';
import { signIn } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from '../helpers/contest.ts';

/**
 * Issue #11, item 1: a blind jury gets files without the metadata that names their author; the applicant and the
 * organizers still get the file as it was uploaded.
 */
let t: TestDb;
let h: ApplicationsTestApp;
let storage: FileStorage;
const cookies: Record<string, string> = {};
let entryId: string;
const fileIds: Record<'jpeg' | 'pdf' | 'docx', string> = { jpeg: '', pdf: '', docx: '' };
const storageKeys: Record<string, string> = {};

const AUTHOR = 'Ivanova Maria Sergeevna';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const account = (label: string) => DEMO_ACCOUNTS.find((a) => a.label.startsWith(label))!;

/** A 40×20 photo stored turned on its side (EXIF orientation 6), signed and geotagged, with XMP. */
function photo() {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: '#3a7' } })
    .withExif({
      IFD0: { Artist: AUTHOR, ImageDescription: 'Двор ТОС «Рассвет», фото Ивановой', Make: 'Canon', Copyright: AUTHOR },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '54/1 46/1 57/1', GPSLongitudeRef: 'E', GPSLongitude: '32/1 2/1 45/1' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>${AUTHOR}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`,
    )
    .jpeg()
    .toBuffer();
}

async function signedPdf() {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('Characteristic', { x: 20, y: 100 });
  doc.setTitle(`Report by ${AUTHOR}`);
  doc.setAuthor(AUTHOR);
  doc.setSubject('TOS Rassvet');
  doc.setKeywords(['Ivanova', 'Rassvet']);
  doc.setCreator('Word (Ivanova laptop)');
  doc.setProducer('Ivanova PDF Printer');
  const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>${AUTHOR}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  const stream = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

async function signedDocx() {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  zip.file(
    'word/document.xml',
    '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Текст</w:t></w:r></w:p></w:body></w:document>',
  );
  zip.file(
    'docProps/core.xml',
    `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Отчёт</dc:title><dc:creator>${AUTHOR}</dc:creator><cp:lastModifiedBy>${AUTHOR}</cp:lastModifiedBy></cp:coreProperties>`,
  );
  zip.file(
    'docProps/app.xml',
    `<?xml version="1.0"?><Properties><Company>ТОС Рассвет, ${AUTHOR}</Company></Properties>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  storage = localDiskStorage(join(h.filesDir, 'files'));
  expect(await seedDemo(t.db, { hashPassword, storeFile: (bytes) => storage.put(Readable.from([bytes])) })).toBe(true);
  for (const [key, label] of [
    ['juror', 'член жюри'],
    ['applicant', 'заявитель'],
    ['organizer', 'организатор'],
  ])
    cookies[key] = await signIn(h.app, account(label).email, account(label).password);
  const region = await t.db
    .selectFrom('contests')
    .select('id')
    .where('slug', '=', 'luchshiy-rukovoditel-tos-smolenskoy-oblasti')
    .executeTakeFirstOrThrow();
  const apps = await t.db
    .selectFrom('applications')
    .select(['id', 'answers'])
    .where('contest_id', '=', region.id)
    .execute();
  entryId = apps.find((a) => (a.answers as Record<string, string>).tos_name === 'ТОС «Рассвет»')!.id;
  // «Рассвет»'s photo and PDF become files that carry their author; a DOCX is attached beside them.
  const files = await t.db
    .selectFrom('application_files as af')
    .innerJoin('stored_files as s', 's.id', 'af.file_id')
    .select(['s.id', 's.mime_type', 'af.field_key'])
    .where('af.application_id', '=', entryId)
    .execute();
  const replace = async (id: string, bytes: Buffer, mime: string) => {
    const key = await storage.put(Readable.from([bytes]));
    storageKeys[id] = key;
    await t.db
      .updateTable('stored_files')
      .set({ storage_key: key, mime_type: mime, size_bytes: bytes.length })
      .where('id', '=', id)
      .execute();
  };
  fileIds.jpeg = files.find((f) => f.mime_type === 'image/png')!.id;
  fileIds.pdf = files.find((f) => f.mime_type === 'application/pdf')!.id;
  await replace(fileIds.jpeg, await photo(), 'image/jpeg');
  await replace(fileIds.pdf, await signedPdf(), 'application/pdf');
  const docx = await signedDocx();
  const docxKey = await storage.put(Readable.from([docx]));
  const applicant = await t.db
    .selectFrom('applications')
    .select('applicant_id')
    .where('id', '=', entryId)
    .executeTakeFirstOrThrow();
  const row = await t.db
    .insertInto('stored_files')
    .values({
      owner_id: applicant.applicant_id,
      purpose: 'application',
      storage_key: docxKey,
      original_name: 'Отчёт Ивановой.docx',
      mime_type: DOCX,
      size_bytes: docx.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  fileIds.docx = row.id;
  storageKeys[row.id] = docxKey;
  const field = files.find((f) => f.mime_type === 'application/pdf')!.field_key;
  await t.db
    .insertInto('application_files')
    .values({ file_id: row.id, application_id: entryId, field_key: field })
    .execute();
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

const get = (who: string, url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
const jurorFile = (id: string) => get('juror', `/api/jury/entries/${entryId}/files/${id}`);

describe('a blind juror’s copy of a file names nobody', () => {
  test('a JPEG comes without EXIF (artist, camera, GPS), XMP or ICC, turned the way its EXIF said', async () => {
    const original = await sharp(await photo()).metadata();
    expect(original.exif).toBeDefined();
    expect(original.xmp).toBeDefined();
    expect(original.orientation).toBe(6);

    const res = await jurorFile(fileIds.jpeg);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.comments).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // Orientation 6 is a quarter turn: the 40×20 picture is shown 20 wide and 40 high.
    expect([meta.width, meta.height]).toEqual([20, 40]);
    expect(res.rawPayload.includes(AUTHOR)).toBe(false);
  });

  test('a PDF comes without its document information (title, author, …) and without XMP', async () => {
    const res = await jurorFile(fileIds.pdf);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const doc = await PDFDocument.load(res.rawPayload, { updateMetadata: false });
    expect(doc.getTitle()).toBeUndefined();
    expect(doc.getAuthor()).toBeUndefined();
    expect(doc.getSubject()).toBeUndefined();
    expect(doc.getKeywords()).toBeUndefined();
    expect(doc.getCreator()).toBeUndefined();
    expect(doc.getProducer()).toBeUndefined();
    expect(doc.catalog.get(PDFName.of('Metadata'))).toBeUndefined();
    expect(doc.getPageCount()).toBe(1);
    // Not merely unreferenced: the bytes hold neither the name nor an XMP packet.
    expect(res.rawPayload.includes(AUTHOR)).toBe(false);
    expect(res.rawPayload.includes('xmpmeta')).toBe(false);
  });

  test('a DOCX comes without its author, last editor and company; its text is kept', async () => {
    const res = await jurorFile(fileIds.docx);
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('Файл 3.docx');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const core = await zip.file('docProps/core.xml')!.async('string');
    expect(core).toContain('<dc:creator></dc:creator>');
    expect(core).toContain('<cp:lastModifiedBy></cp:lastModifiedBy>');
    expect(core).toContain('<dc:title>Отчёт</dc:title>');
    expect(await zip.file('docProps/app.xml')!.async('string')).not.toContain(AUTHOR);
    expect(await zip.file('word/document.xml')!.async('string')).toContain('Текст');
  });

  test('the clean copy is made once and kept beside the original, which the applicant and organizers still get', async () => {
    expect(await storage.exists(cleanCopyKey(storageKeys[fileIds.jpeg]))).toBe(true);
    const again = await jurorFile(fileIds.jpeg);
    expect(again.rawPayload.equals((await jurorFile(fileIds.jpeg)).rawPayload)).toBe(true);

    for (const who of ['applicant', 'organizer']) {
      const photoRes = await get(who, `/api/files/${fileIds.jpeg}`);
      expect(photoRes.statusCode).toBe(200);
      const meta = await sharp(photoRes.rawPayload).metadata();
      expect(meta.exif).toBeDefined();
      expect(meta.orientation).toBe(6);
      const pdf = await PDFDocument.load((await get(who, `/api/files/${fileIds.pdf}`)).rawPayload);
      expect(pdf.getAuthor()).toBe(AUTHOR);
      expect(pdf.getTitle()).toBe(`Report by ${AUTHOR}`);
    }
  });

  test('a damaged file is refused to a blind juror with a reason, never served as it is', async () => {
    const broken = Buffer.from('%PDF-1.7\nnot really a pdf');
    const key = await storage.put(Readable.from([broken]));
    await t.db
      .updateTable('stored_files')
      .set({ storage_key: key, size_bytes: broken.length })
      .where('id', '=', fileIds.pdf)
      .execute();
    const res = await jurorFile(fileIds.pdf);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('убрать из него сведения об авторе');
  });
});
