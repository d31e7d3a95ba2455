import type { Readable } from 'node:stream';
import type { CertificateImageKind, Db } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { readStored, type FileStorage } from '../files/storage.ts';
import { storeUpload } from '../files/upload.ts';
import { checkPng, PNG_MAX_PIXELS, PNG_MAX_SIDE } from './image-check.ts';
import { inScope, isEvent, type Scope } from './service.ts';

/**
 * The logo and the signature image of an event's certificates. One of each per event; the signature is drawn above the
 * first signatory's line. A certificate keeps the file ids it was issued with (images are frozen like the wording), so
 * replacing or removing an image changes only what is issued afterwards; a file no certificate uses is deleted at once.
 */
export const IMAGE_KINDS: CertificateImageKind[] = ['logo', 'signature'];
export const IMAGE_LABELS: Record<CertificateImageKind, string> = { logo: 'Логотип', signature: 'Изображение подписи' };
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg'];

const scopeId = (scope: Scope) => scope.contestId ?? scope.olympiadId ?? 'organisation';

export interface EventImage {
  kind: CertificateImageKind;
  fileId: string;
  name: string;
  mimeType: string;
  size: number;
  /** The organisation's image, printed because the event has none of its own. */
  inherited: boolean;
}

/** The images a scope prints: an event's own, and for a kind it has none of, the organisation's. */
export async function eventImages(db: Db, scope: Scope): Promise<EventImage[]> {
  const rows = await db
    .selectFrom('certificate_images as i')
    .innerJoin('stored_files as f', 'f.id', 'i.file_id')
    .select(['i.kind', 'i.contest_id', 'i.olympiad_id', 'f.id', 'f.original_name', 'f.mime_type', 'f.size_bytes'])
    .where((eb) => eb.or([eb.and([eb('i.contest_id', 'is', null), eb('i.olympiad_id', 'is', null)]), inScope(scope)]))
    .execute();
  return IMAGE_KINDS.flatMap((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    const own = isEvent(scope) ? of.find((r) => (r.contest_id ?? r.olympiad_id) !== null) : undefined;
    const r = own ?? of.find((x) => x.contest_id === null && x.olympiad_id === null);
    return r
      ? [
          {
            kind,
            fileId: r.id,
            name: r.original_name,
            mimeType: r.mime_type,
            size: Number(r.size_bytes),
            inherited: isEvent(scope) && !own,
          },
        ]
      : [];
  });
}

/** The file ids to print now: what issuing freezes into a certificate and what the preview shows. */
export async function eventImageIds(db: Db, scope: Scope): Promise<Record<CertificateImageKind, string | null>> {
  const images = await eventImages(db, scope);
  return {
    logo: images.find((i) => i.kind === 'logo')?.fileId ?? null,
    signature: images.find((i) => i.kind === 'signature')?.fileId ?? null,
  };
}

/** Deletes an image file unless an issued certificate still prints it. */
async function dropUnusedFile(db: Db, storage: FileStorage, fileId: string): Promise<void> {
  const used = await db
    .selectFrom('certificates')
    .select('id')
    .where((eb) => eb.or([eb('logo_file_id', '=', fileId), eb('signature_file_id', '=', fileId)]))
    .limit(1)
    .executeTakeFirst();
  if (used) return;
  // A certificate issued just now may have taken the file after all: the foreign key then refuses and the file stays.
  const file = await db
    .deleteFrom('stored_files')
    .where('id', '=', fileId)
    .returning('storage_key')
    .executeTakeFirst()
    .catch(() => undefined);
  if (file) await storage.remove(file.storage_key);
}

/** Stores an uploaded PNG or JPEG (checked by content, at most 2 MB) as the event's logo or signature, replacing the old one. */
export async function setEventImage(
  db: Db,
  storage: FileStorage,
  event: Scope,
  kind: CertificateImageKind,
  file: { stream: Readable & { truncated?: boolean }; filename: string },
  actor: { id: string; ip: string },
): Promise<void> {
  const stored = await storeUpload(
    storage,
    file.stream,
    file.filename,
    { mimeTypes: IMAGE_TYPES, maxBytes: IMAGE_MAX_BYTES },
    'file',
  );
  let previous: string | undefined;
  try {
    const png = stored.mimeType === 'image/png' ? checkPng(await readStored(storage, stored.storageKey)) : 'ok';
    if (png === 'too_large') {
      const message = `Изображение «${file.filename}» слишком велико: не больше ${PNG_MAX_SIDE} точек по стороне и ${PNG_MAX_PIXELS / 1e6} млн точек всего. Уменьшите его и загрузите ещё раз.`;
      throw new AppError('image_too_large', message, { file: message });
    }
    if (png !== 'ok') {
      const message = `Файл «${file.filename}» повреждён: изображение не читается. Сохраните его заново и загрузите ещё раз.`;
      throw new AppError('file_damaged', message, { file: message });
    }
    await db.transaction().execute(async (trx) => {
      const id = scopeId(event);
      const created = await trx
        .insertInto('stored_files')
        .values({
          owner_id: actor.id,
          purpose: 'certificate_image',
          storage_key: stored.storageKey,
          original_name: stored.name,
          mime_type: stored.mimeType,
          size_bytes: stored.size,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const old = await trx
        .deleteFrom('certificate_images')
        .where(inScope(event))
        .where('kind', '=', kind)
        .returning('file_id')
        .executeTakeFirst();
      previous = old?.file_id;
      await trx
        .insertInto('certificate_images')
        .values({
          contest_id: event.contestId ?? null,
          olympiad_id: event.olympiadId ?? null,
          kind,
          file_id: created.id,
        })
        .execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'certificate_image.set',
        entity: 'certificate_image',
        entityId: `${id}:${kind}`,
        before: { fileId: previous ?? null },
        after: { fileId: created.id, name: stored.name, size: stored.size },
        ip: actor.ip,
      });
    });
  } catch (error) {
    await storage.remove(stored.storageKey);
    throw error;
  }
  if (previous) await dropUnusedFile(db, storage, previous);
}

export async function removeEventImage(
  db: Db,
  storage: FileStorage,
  event: Scope,
  kind: CertificateImageKind,
  actor: { id: string; ip: string },
): Promise<void> {
  const id = scopeId(event);
  const removed = await db.transaction().execute(async (trx) => {
    const old = await trx
      .deleteFrom('certificate_images')
      .where(inScope(event))
      .where('kind', '=', kind)
      .returning('file_id')
      .executeTakeFirst();
    if (!old) throw new AppError('not_found', `${IMAGE_LABELS[kind]} не загружен(о).`);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'certificate_image.remove',
      entity: 'certificate_image',
      entityId: `${id}:${kind}`,
      before: { fileId: old.file_id },
      after: null,
      ip: actor.ip,
    });
    return old.file_id;
  });
  await dropUnusedFile(db, storage, removed);
}

/** Reads image bytes by file id for the renderer; a missing file prints no image rather than failing the PDF. */
export function imageLoader(db: Db, storage: FileStorage): (fileId: string) => Promise<Buffer | null> {
  return async (fileId) => {
    const file = await db.selectFrom('stored_files').select('storage_key').where('id', '=', fileId).executeTakeFirst();
    if (!file || !(await storage.exists(file.storage_key))) return null;
    return readStored(storage, file.storage_key);
  };
}
