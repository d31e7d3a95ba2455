import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { AppError, errorResponses, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { requireRole } from '../auth/plugin.ts';
import { checkFormDefinition, type FormField } from '../forms/definition.ts';
import { FormBody, FormDefinition } from '../forms/schemas.ts';
import { addFormVersion, currentForm, toFormDto } from '../forms/service.ts';
import type { FileStorage } from '../files/storage.ts';
import { storeUpload } from '../files/upload.ts';
import { AdminContestList, ContestBody, ContestCreateBody, ContestResponse, CopyBody } from './schemas.ts';
import {
  contestDetail,
  copyContest,
  createContest,
  findContest,
  listContestsForOrganizer,
  setArchived,
  setPublished,
  updateContest,
} from './service.ts';

const tags = ['Конкурсы'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Конкурс' }) });
const RULES_MAX_BYTES = 20 * 1024 * 1024;

export const contestRoutes: FastifyPluginAsyncTypebox<{ db: Db; storage: FileStorage; now: () => Date }> = async (
  app,
  { db, storage, now },
) => {
  const isOrganizer = (request: { session: { user: { roles: string[] } } | null }) =>
    !!request.session?.user.roles.includes('organizer');

  app.get(
    '/api/contests/by-slug/:slug',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Конкурс: положение, номинации, даты (публично)',
        params: Type.Object({ slug: Type.String({ maxLength: 100, title: 'Адрес страницы' }) }),
        response: { 200: ContestResponse, ...errorResponses(404) },
      },
    },
    async (request) => {
      const row = await findContest(db, { slug: request.params.slug }, { includeArchived: isOrganizer(request) });
      return { contest: await contestDetail(db, row, now()) };
    },
  );

  app.get(
    '/api/admin/contests',
    {
      schema: {
        tags,
        summary: 'Все конкурсы с числом заявок (для организатора)',
        response: { 200: AdminContestList, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return { contests: await listContestsForOrganizer(db, now()) };
    },
  );

  app.get(
    '/api/admin/contests/:id',
    {
      schema: {
        tags,
        summary: 'Конкурс по идентификатору (для организатора)',
        params: IdParams,
        response: { 200: ContestResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      const row = await findContest(db, { id: request.params.id }, { includeArchived: true });
      return { contest: await contestDetail(db, row, now()) };
    },
  );

  app.post(
    '/api/contests',
    {
      schema: {
        tags,
        summary: 'Создать конкурс (с выбором слепой или открытой оценки жюри)',
        body: ContestCreateBody,
        response: { 201: ContestResponse, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, 'organizer');
      const id = await createContest(db, request.body, { id: actor.id, ip: request.ip });
      reply.status(201);
      return { contest: await contestDetail(db, await findContest(db, { id }, { includeArchived: true }), now()) };
    },
  );

  app.put(
    '/api/contests/:id',
    {
      schema: {
        tags,
        summary: 'Изменить конкурс',
        params: IdParams,
        body: ContestBody,
        response: { 200: ContestResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await updateContest(db, request.params.id, request.body, { id: actor.id, ip: request.ip });
      return {
        contest: await contestDetail(
          db,
          await findContest(db, { id: request.params.id }, { includeArchived: true }),
          now(),
        ),
      };
    },
  );

  app.post(
    '/api/contests/:id/copy',
    {
      schema: {
        tags,
        summary: 'Скопировать конкурс (например, прошлогодний в этот год)',
        params: IdParams,
        body: CopyBody,
        response: { 201: ContestResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, 'organizer');
      const id = await copyContest(db, request.params.id, request.body, { id: actor.id, ip: request.ip });
      reply.status(201);
      return { contest: await contestDetail(db, await findContest(db, { id }, { includeArchived: true }), now()) };
    },
  );

  app.post(
    '/api/contests/:id/archive',
    {
      schema: {
        tags,
        summary: 'Отправить конкурс в архив или вернуть из архива',
        params: IdParams,
        body: Type.Object({ archived: Type.Boolean({ title: 'В архиве' }) }),
        response: { 200: ContestResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await setArchived(db, request.params.id, request.body.archived, { id: actor.id, ip: request.ip });
      return {
        contest: await contestDetail(
          db,
          await findContest(db, { id: request.params.id }, { includeArchived: true }),
          now(),
        ),
      };
    },
  );

  app.post(
    '/api/contests/:id/publication',
    {
      schema: {
        tags,
        summary: 'Опубликовать конкурс или снять с публикации (только пока нет заявок)',
        params: IdParams,
        body: Type.Object({ published: Type.Boolean({ title: 'Опубликован' }) }),
        response: { 200: ContestResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await setPublished(db, request.params.id, request.body.published, { id: actor.id, ip: request.ip }, now());
      return {
        contest: await contestDetail(
          db,
          await findContest(db, { id: request.params.id }, { includeArchived: true }),
          now(),
        ),
      };
    },
  );

  app.post(
    '/api/contests/:id/rules-file',
    {
      schema: {
        tags,
        summary: 'Приложить положение в PDF (multipart, поле file)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 200: ContestResponse, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const contest = await findContest(db, { id: request.params.id }, { includeArchived: true });
      if (!request.isMultipart())
        throw new AppError('validation', 'Выберите файл положения в формате PDF.', { file: 'Выберите файл.' });
      const file = await request.file();
      if (!file) throw new AppError('validation', 'Выберите файл положения в формате PDF.', { file: 'Выберите файл.' });
      const stored = await storeUpload(
        storage,
        file.file,
        file.filename,
        { mimeTypes: ['application/pdf'], maxBytes: RULES_MAX_BYTES },
        'file',
      );
      try {
        await db.transaction().execute(async (trx) => {
          const created = await trx
            .insertInto('stored_files')
            .values({
              owner_id: actor.id,
              purpose: 'contest_rules',
              storage_key: stored.storageKey,
              original_name: stored.name,
              mime_type: stored.mimeType,
              size_bytes: stored.size,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.updateTable('contests').set({ rules_file_id: created.id }).where('id', '=', contest.id).execute();
          await recordAudit(trx, {
            actorId: actor.id,
            action: 'contest.rules_file',
            entity: 'contest',
            entityId: contest.id,
            before: { rulesFileId: contest.rules_file_id },
            after: { rulesFileId: created.id, name: stored.name, size: stored.size },
            ip: request.ip,
          });
        });
      } catch (error) {
        await storage.remove(stored.storageKey);
        throw error;
      }
      return {
        contest: await contestDetail(db, await findContest(db, { id: contest.id }, { includeArchived: true }), now()),
      };
    },
  );

  app.get(
    '/api/contests/:id/form',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Текущая форма заявки (общая или номинации)',
        params: IdParams,
        querystring: Type.Object({ nominationId: Type.Optional(Type.String({ format: 'uuid', title: 'Номинация' })) }),
        response: { 200: Type.Object({ form: FormDefinition, own: Type.Boolean() }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const contest = await findContest(db, { id: request.params.id }, { includeArchived: isOrganizer(request) });
      const nominationId = request.query.nominationId ?? null;
      const form = await currentForm(db, contest.id, nominationId);
      if (!form) throw notFound('У конкурса нет формы заявки.');
      return { form: toFormDto(form), own: form.nomination_id === nominationId };
    },
  );

  app.put(
    '/api/contests/:id/form',
    {
      schema: {
        tags,
        summary: 'Сохранить форму заявки (новая версия; прежние заявки сохраняют свою)',
        params: IdParams,
        body: FormBody,
        response: { 200: Type.Object({ form: FormDefinition }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const contest = await findContest(db, { id: request.params.id }, { includeArchived: true });
      const { nominationId } = request.body;
      const fields = request.body.fields.map(cleanField);
      const problems = checkFormDefinition(fields);
      if (Object.keys(problems).length)
        throw new AppError('validation', `Проверьте форму. ${Object.values(problems)[0]}`, problems);
      if (nominationId) {
        const nomination = await db
          .selectFrom('nominations')
          .select('id')
          .where('id', '=', nominationId)
          .where('contest_id', '=', contest.id)
          .executeTakeFirst();
        if (!nomination)
          throw new AppError('validation', 'Номинация не принадлежит этому конкурсу.', {
            nominationId: 'Номинация не найдена.',
          });
      }
      const form = await db.transaction().execute(async (trx) => {
        const before = await currentForm(trx, contest.id, nominationId);
        const created = await addFormVersion(trx, contest.id, nominationId, fields, actor.id);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'contest.form.save',
          entity: 'application_form',
          entityId: created.id,
          before: before ? { id: before.id, version: before.version, fields: before.fields } : null,
          after: { version: created.version, nominationId, fields },
          ip: request.ip,
        });
        return created;
      });
      return { form: toFormDto(form) };
    },
  );
};

/** Keeps only the settings that belong to the field's kind, trimmed, so a stale setting never changes validation. */
function cleanField(f: FormField): FormField {
  const base: FormField = {
    key: f.key,
    kind: f.kind,
    label: f.label.trim(),
    required: f.kind === 'consent' ? true : f.required,
    personal: f.personal,
  };
  if (f.help?.trim()) base.help = f.help.trim();
  if ((f.kind === 'text' || f.kind === 'textarea') && f.maxLength) base.maxLength = f.maxLength;
  if (f.kind === 'number') Object.assign(base, { min: f.min, max: f.max, integer: f.integer });
  if (f.kind === 'date' && f.notFuture) base.notFuture = true;
  if (f.kind === 'choice' || f.kind === 'multichoice')
    base.options = (f.options ?? []).map((o) => o.trim()).filter(Boolean);
  if (f.kind === 'multichoice' && f.maxChoices) base.maxChoices = f.maxChoices;
  if (f.kind === 'file') Object.assign(base, { accept: f.accept, maxSizeMb: f.maxSizeMb, maxFiles: f.maxFiles });
  if (f.kind === 'consent') base.consentText = f.consentText?.trim();
  return JSON.parse(JSON.stringify(base)) as FormField;
}
