import type { MultipartFile } from '@fastify/multipart';
import type { Db } from '@konkurs/db';
import { AppError, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { fileLimits, type FormField } from '../forms/definition.ts';
import type { FileStorage } from '../files/storage.ts';
import { describeTypes, formatSize, storeUpload } from '../files/upload.ts';
import { effectiveDeadline, isBeforeDeadline, isEditable, STATUS_LABELS } from './lifecycle.ts';

async function editableApplication(db: Db, id: string, user: SessionUser, now: Date) {
  const row = await db
    .selectFrom('applications as a')
    .innerJoin('contests as c', 'c.id', 'a.contest_id')
    .innerJoin('application_forms as f', 'f.id', 'a.form_id')
    .select([
      'a.id',
      'a.applicant_id',
      'a.status',
      'a.extended_until',
      'c.applications_open_at',
      'c.applications_close_at',
      'c.archived_at',
      'f.fields',
    ])
    .where('a.id', '=', id)
    .forUpdate(['a'])
    .executeTakeFirst();
  if (!row || (row.applicant_id !== user.id && !user.roles.includes('organizer'))) throw notFound('Заявка не найдена.');
  if (row.applicant_id !== user.id) throw new AppError('forbidden', 'Изменять заявку может только её автор.');
  if (!isEditable(row.status))
    throw new AppError('not_editable', `Заявку в статусе «${STATUS_LABELS[row.status]}» изменить нельзя.`);
  if (
    row.archived_at ||
    !isBeforeDeadline(now, row.applications_open_at, row.applications_close_at, row.extended_until)
  ) {
    throw new AppError('deadline_passed', 'Приём заявок закрыт: срок истёк. Продлить срок может организатор конкурса.');
  }
  return row;
}

/**
 * Streams one file of a file field into storage and attaches it. Checks before the bytes flow (who, status,
 * deadline, the field, the count), while they flow (real type, size) and again in the transaction that
 * attaches it (the count, against parallel uploads). A refused upload leaves nothing behind.
 */
export async function uploadApplicationFile(
  deps: { db: Db; storage: FileStorage },
  id: string,
  fieldKey: string,
  user: SessionUser,
  file: MultipartFile | undefined,
  now: Date,
  ip: string,
) {
  const { db, storage } = deps;
  const first = await editableApplication(db, id, user, now);
  const field = (first.fields as FormField[]).find((f) => f.key === fieldKey);
  if (!field || field.kind !== 'file')
    throw new AppError('validation', 'В форме заявки нет такого поля для файлов. Обновите страницу.', {
      field: 'Такого поля нет.',
    });
  const limits = fileLimits(field);
  const tooMany = () =>
    new AppError('too_many_files', `В поле «${field.label}» можно приложить не больше ${limits.maxFiles} файлов.`, {
      [fieldKey]: `Не больше ${limits.maxFiles} файлов.`,
    });
  const countOf = async (trx: Db) =>
    Number(
      (
        await trx
          .selectFrom('application_files')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('application_id', '=', id)
          .where('field_key', '=', fieldKey)
          .executeTakeFirstOrThrow()
      ).n,
    );
  if (!file)
    throw new AppError('validation', `Выберите файл для поля «${field.label}».`, { [fieldKey]: 'Выберите файл.' });
  if ((await countOf(db)) >= limits.maxFiles) {
    file.file.resume();
    throw tooMany();
  }
  const stored = await storeUpload(
    storage,
    file.file,
    file.filename,
    { mimeTypes: limits.mimeTypes, maxBytes: limits.maxBytes },
    fieldKey,
  );
  try {
    return await db.transaction().execute(async (trx) => {
      await editableApplication(trx, id, user, now);
      if ((await countOf(trx)) >= limits.maxFiles) throw tooMany();
      const created = await trx
        .insertInto('stored_files')
        .values({
          owner_id: user.id,
          purpose: 'application',
          storage_key: stored.storageKey,
          original_name: stored.name,
          mime_type: stored.mimeType,
          size_bytes: stored.size,
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('application_files')
        .values({ file_id: created.id, application_id: id, field_key: fieldKey })
        .execute();
      await trx.updateTable('applications').set({ updated_at: now }).where('id', '=', id).execute();
      await recordAudit(trx, {
        actorId: user.id,
        action: 'application.file.add',
        entity: 'application',
        entityId: id,
        after: { fileId: created.id, field: fieldKey, name: stored.name, type: stored.mimeType, size: stored.size },
        ip,
      });
      return {
        id: created.id,
        fieldKey,
        name: stored.name,
        mimeType: stored.mimeType,
        size: stored.size,
        createdAt: created.created_at.toISOString(),
      };
    });
  } catch (error) {
    await storage.remove(stored.storageKey);
    throw error;
  }
}

export async function removeApplicationFile(
  deps: { db: Db; storage: FileStorage },
  id: string,
  fileId: string,
  user: SessionUser,
  now: Date,
  ip: string,
): Promise<void> {
  const key = await deps.db.transaction().execute(async (trx) => {
    await editableApplication(trx, id, user, now);
    const file = await trx
      .selectFrom('application_files as af')
      .innerJoin('stored_files as s', 's.id', 'af.file_id')
      .select(['s.id', 's.storage_key', 's.original_name', 'af.field_key'])
      .where('af.application_id', '=', id)
      .where('af.file_id', '=', fileId)
      .executeTakeFirst();
    if (!file) throw notFound('Файл не найден.');
    await trx.deleteFrom('stored_files').where('id', '=', fileId).execute();
    await trx.updateTable('applications').set({ updated_at: now }).where('id', '=', id).execute();
    await recordAudit(trx, {
      actorId: user.id,
      action: 'application.file.remove',
      entity: 'application',
      entityId: id,
      before: { fileId, field: file.field_key, name: file.original_name },
      ip,
    });
    return file.storage_key;
  });
  // Bytes go after the commit: a failed transaction must not lose a file that is still attached.
  await deps.storage.remove(key);
}

export { describeTypes, formatSize, effectiveDeadline };
