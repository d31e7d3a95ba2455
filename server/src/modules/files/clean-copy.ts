import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import sharp from 'sharp';
import { readStored, type FileStorage } from './storage.ts';

/**
 * A copy of an uploaded file without what identifies its author, for readers who must not know who sent it (a blind
 * jury). The original stays as it was for its applicant and the organizers.
 * - JPEG, PNG, WebP: decoded and encoded again by sharp, the EXIF orientation applied first, so no EXIF (author,
 *   camera, GPS, description), no XMP, no ICC profile, no PNG text chunk and no comment is left.
 * - PDF: the document information dictionary (Title, Author, Subject, Keywords, Creator, Producer, dates and any
 *   other key) and every XMP metadata stream are removed, and then every object the document no longer refers to
 *   (an earlier revision's Info, say), so the bytes hold none of it.
 * - DOCX, XLSX (and ODT, ODS): the author fields of the package's properties (docProps/core.xml creator and
 *   lastModifiedBy, docProps/app.xml Company and Manager; meta.xml creators in OpenDocument) are emptied. Names
 *   inside the text, in review comments or in tracked changes are not touched: the organizer's page says so.
 * Any other type is returned as it is.
 */
export const CLEAN_TYPES = {
  images: ['image/jpeg', 'image/png', 'image/webp'],
  pdf: 'application/pdf',
  office: [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ],
  openDocument: ['application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet'],
} as const;

/** Raised when a file cannot be read to clean it (damaged, encrypted). */
export class UncleanableFile extends Error {}

/** Bump when cleaning changes, so copies made the old way are made again. */
const CLEANING_VERSION = 1;

export async function cleanFileBytes(bytes: Buffer, mimeType: string): Promise<Buffer> {
  try {
    if ((CLEAN_TYPES.images as readonly string[]).includes(mimeType)) return await cleanImage(bytes, mimeType);
    if (mimeType === CLEAN_TYPES.pdf) return await cleanPdf(bytes);
    if ((CLEAN_TYPES.office as readonly string[]).includes(mimeType)) return await cleanOffice(bytes);
    if ((CLEAN_TYPES.openDocument as readonly string[]).includes(mimeType)) return await cleanOpenDocument(bytes);
  } catch (error) {
    throw new UncleanableFile(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return bytes;
}

async function cleanImage(bytes: Buffer, mimeType: string): Promise<Buffer> {
  // sharp writes no metadata unless asked to (withMetadata/keepExif/…); rotate() turns the picture as its EXIF said.
  const image = sharp(bytes, { animated: mimeType === 'image/webp' }).rotate();
  if (mimeType === 'image/jpeg') return image.jpeg({ quality: 92 }).toBuffer();
  if (mimeType === 'image/png') return image.png().toBuffer();
  return image.webp({ quality: 92 }).toBuffer();
}

async function cleanPdf(bytes: Buffer): Promise<Buffer> {
  // updateMetadata: false, or pdf-lib would write its own Producer, Creator and dates into a new Info.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const { context } = doc;
  delete context.trailerInfo.Info;
  doc.catalog.delete(PDFName.of('Metadata'));
  // XMP can also hang off pages, images and fonts: drop every /Metadata entry.
  for (const [, object] of context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
    dict?.delete(PDFName.of('Metadata'));
  }
  // pdf-lib writes every object it parsed, referred to or not: keep only those reachable from the trailer.
  const reachable = new Set<string>();
  const visit = (object: PDFObject | undefined) => {
    if (!object) return;
    if (object instanceof PDFRef) {
      if (reachable.has(object.tag)) return;
      reachable.add(object.tag);
      visit(context.lookup(object));
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) visit(value);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) visit(value);
    } else if (object instanceof PDFStream) {
      visit(object.dict);
    }
  };
  visit(context.trailerInfo.Root);
  visit(context.trailerInfo.Encrypt);
  for (const [ref] of context.enumerateIndirectObjects()) if (!reachable.has(ref.tag)) context.delete(ref);
  return Buffer.from(await doc.save({ updateFieldAppearances: false }));
}

/** `<dc:creator>Иванова</dc:creator>` → `<dc:creator></dc:creator>`, attributes kept. */
const emptyElements = (xml: string, names: string[]) =>
  names.reduce(
    (text, name) =>
      text.replace(
        new RegExp(`<${name}(\\s[^>]*)?>[\\s\\S]*?</${name}>`, 'g'),
        (_whole, attributes: string | undefined) => `<${name}${attributes ?? ''}></${name}>`,
      ),
    xml,
  );

async function rewriteEntries(bytes: Buffer, edits: Record<string, string[]>, storedFirst?: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  for (const [path, names] of Object.entries(edits)) {
    const entry = zip.file(path);
    if (entry) zip.file(path, emptyElements(await entry.async('string'), names));
  }
  // OpenDocument wants its «mimetype» entry first and uncompressed; JSZip keeps the order it read.
  if (storedFirst && zip.file(storedFirst))
    zip.file(storedFirst, await zip.file(storedFirst)!.async('string'), { compression: 'STORE' });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function cleanOffice(bytes: Buffer): Promise<Buffer> {
  return rewriteEntries(bytes, {
    'docProps/core.xml': ['dc:creator', 'cp:lastModifiedBy'],
    'docProps/app.xml': ['Company', 'Manager'],
  });
}

function cleanOpenDocument(bytes: Buffer): Promise<Buffer> {
  return rewriteEntries(bytes, { 'meta.xml': ['meta:initial-creator', 'dc:creator'] }, 'mimetype');
}

/** The storage key of a file's clean copy: derived from the original's, so it needs no column to find it. */
export function cleanCopyKey(storageKey: string): string {
  const hex = createHash('sha256').update(`clean-copy:${CLEANING_VERSION}:${storageKey}`).digest('hex');
  // Shaped like the storage's own keys (a version-4 UUID), which both storages check.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The clean copy of a stored file: made once and kept in the storage beside the original (under cleanCopyKey), so
 * a file is cleaned once however many jurors open it. The copy is removed with its original (withCleanCopies).
 */
export async function cleanCopy(storage: FileStorage, storageKey: string, mimeType: string): Promise<Buffer> {
  const key = cleanCopyKey(storageKey);
  if (await storage.exists(key)) return readStored(storage, key);
  const clean = await cleanFileBytes(await readStored(storage, storageKey), mimeType);
  await storage.putWithKey(key, Readable.from([clean]));
  return clean;
}

/** A storage whose remove() also removes the file's clean copy, if one was made. */
export function withCleanCopies(storage: FileStorage): FileStorage {
  return {
    ...storage,
    async remove(key) {
      await storage.remove(key);
      await storage.remove(cleanCopyKey(key)).catch(() => {});
    },
  };
}
