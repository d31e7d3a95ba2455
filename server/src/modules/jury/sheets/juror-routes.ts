import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fileResponse, MEDIA } from '../../../http/openapi.ts';
import type { MailingRouteOptions } from '../../mail/outbox.ts';
import { Type } from '@sinclair/typebox';
import { AppError, errorResponses, notFound, trimBody } from '../../../http/errors.ts';
import { cleanCopy, UncleanableFile } from '../../files/clean-copy.ts';
import { requireRole, requireUser } from '../../auth/plugin.ts';
import { contentDisposition } from '../../files/routes.ts';
import { readStored, type FileStorage } from '../../files/storage.ts';
import { declareConflict, recordConflict, removeConflict } from '../assignment/conflicts.ts';
import { entryFiles, jurorEntryView, loadJurorEntry } from './entry-view.ts';
import {
  ConflictResult,
  JuryContestEntries,
  JuryContests,
  JuryEntryResponse,
  OrganizerConflictBody,
  ReasonBody,
  ReopenedSheet,
  SheetBody,
  SheetResponse,
} from './juror-schemas.ts';
import { myContestEntries, myJuryContests } from './juror-service.ts';
import { reopenSheet, saveSheet, submitSheet, type JuryCtx } from './sheets.ts';

export interface JurorRoutesOptions extends MailingRouteOptions {
  storage: FileStorage;
}

const tags = ['Жюри'];
const Uuid = (title: string) => Type.String({ format: 'uuid', title });
const EntryParams = Type.Object({ applicationId: Uuid('Работа') });

/** Files a browser shows in the page; anything else is downloaded. */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

/**
 * What a juror downloads: the file's copy without its author's metadata (files/clean-copy.ts). A file that cannot be
 * read to clean it is refused in blind mode (it could name its author) and given as it is otherwise.
 */
async function jurorCopy(storage: FileStorage, file: { storageKey: string; mimeType: string }, blind: boolean) {
  try {
    return await cleanCopy(storage, file.storageKey, file.mimeType);
  } catch (error) {
    if (!(error instanceof UncleanableFile)) throw error;
    if (blind)
      throw new AppError(
        'file_not_cleanable',
        'Этот файл не удалось открыть, чтобы убрать из него сведения об авторе, поэтому при слепой оценке он не выдаётся. Сообщите организатору: он увидит файл в заявке.',
      );
    return readStored(storage, file.storageKey);
  }
}

/** The juror's side (journey J2): my contests, my entries, an entry with its rubric, the score sheet, conflicts of interest. */
export const jurorRoutes: FastifyPluginAsyncTypebox<JurorRoutesOptions> = async (app, opts) => {
  const { db, storage } = opts;
  const ctx = (ip: string): JuryCtx => ({
    db,
    now: opts.now(),
    ip,
    deliverMail: opts.deliverMail,
    publicUrl: opts.publicUrl,
  });

  app.get(
    '/api/jury/contests',
    {
      schema: {
        tags,
        summary: 'Конкурсы, в жюри которых я состою, с ходом оценивания',
        response: { 200: JuryContests, ...errorResponses(401, 403) },
      },
    },
    async (request) => myJuryContests(db, requireUser(request)),
  );

  app.get(
    '/api/jury/contests/:id/entries',
    {
      schema: {
        tags,
        summary: 'Мои работы конкурса по номинациям: состояние оценки и «оценено N из M»',
        params: Type.Object({ id: Uuid('Конкурс') }),
        response: { 200: JuryContestEntries, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => myContestEntries(db, requireUser(request), request.params.id),
  );

  app.get(
    '/api/jury/entries/:applicationId',
    {
      schema: {
        tags,
        summary: 'Работа для оценки: ответы без персональных полей, файлы, критерии, моя оценка',
        params: EntryParams,
        response: { 200: JuryEntryResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ entry: await jurorEntryView(db, request.params.applicationId, requireUser(request).id) }),
  );

  app.get(
    '/api/jury/entries/:applicationId/files/:fileId',
    {
      schema: {
        tags,
        summary: 'Файл работы без метаданных автора (изображения и PDF открываются в браузере)',
        params: Type.Object({ applicationId: EntryParams.properties.applicationId, fileId: Uuid('Файл') }),
        response: {
          200: fileResponse('Копия файла без сведений об авторе (EXIF, XMP, свойства документа)', MEDIA.any),
          ...errorResponses(400, 401, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const entry = await loadJurorEntry(db, request.params.applicationId, user.id);
      const file = (await entryFiles(db, entry)).find((f) => f.id === request.params.fileId);
      if (!file || !(await storage.exists(file.storageKey))) throw notFound('Файл не найден.');
      const bytes = await jurorCopy(storage, file, entry.jury_blind);
      const inline = INLINE.has(file.mimeType);
      reply
        .header('content-type', file.mimeType)
        .header('content-length', String(bytes.length))
        // The name is the one the juror may see: «Файл 1.pdf» in blind mode.
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store');
      // A PDF is shown by the browser's viewer in an <iframe> of the entry page, which a sandbox would blank out.
      if (file.mimeType !== 'application/pdf')
        reply.header(
          'content-security-policy',
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        );
      return reply.send(bytes);
    },
  );

  app.put(
    '/api/jury/entries/:applicationId/sheet',
    {
      schema: {
        tags,
        summary: 'Сохранить черновик оценки (можно не по всем критериям)',
        params: EntryParams,
        body: SheetBody,
        response: { 200: SheetResponse, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => saveSheet(ctx(request.ip), request.params.applicationId, requireUser(request), request.body),
  );

  app.post(
    '/api/jury/entries/:applicationId/sheet/submit',
    {
      schema: {
        tags,
        summary: 'Отправить оценку (все критерии оценены); после отправки она не меняется',
        params: EntryParams,
        response: { 200: SheetResponse, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => submitSheet(ctx(request.ip), request.params.applicationId, requireUser(request)),
  );

  app.post(
    '/api/jury/entries/:applicationId/conflict',
    {
      preValidation: trimBody('reason'),
      schema: {
        tags,
        summary: 'Заявить о конфликте интересов: работа закрывается для меня, черновик оценки удаляется',
        params: EntryParams,
        body: ReasonBody,
        response: { 200: ConflictResult, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) =>
      declareConflict(ctx(request.ip), request.params.applicationId, requireUser(request), request.body.reason),
  );

  app.post(
    '/api/contests/:id/sheets/:sheetId/reopen',
    {
      preValidation: trimBody('reason'),
      schema: {
        tags,
        summary: 'Вернуть отправленную оценку на доработку (председатель жюри или организатор)',
        params: Type.Object({ id: Uuid('Конкурс'), sheetId: Uuid('Оценка') }),
        body: ReasonBody,
        response: { 200: ReopenedSheet, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const result = await reopenSheet(
        ctx(request.ip),
        request.params.id,
        request.params.sheetId,
        requireUser(request),
        request.body.reason,
      );
      return result;
    },
  );

  app.post(
    '/api/contests/:id/conflicts',
    {
      preValidation: trimBody('reason'),
      schema: {
        tags,
        summary: 'Записать известный заранее конфликт интересов члена жюри (организатор)',
        params: Type.Object({ id: Uuid('Конкурс') }),
        body: OrganizerConflictBody,
        response: { 201: ConflictResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'organizer');
      const result = await recordConflict(ctx(request.ip), request.params.id, user, request.body);
      reply.status(201);
      return result;
    },
  );

  app.delete(
    '/api/contests/:id/conflicts/:applicationId/:jurorId',
    {
      schema: {
        tags,
        summary: 'Снять конфликт интересов, записанный по ошибке (организатор)',
        params: Type.Object({ id: Uuid('Конкурс'), applicationId: Uuid('Заявка'), jurorId: Uuid('Член жюри') }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      await removeConflict(
        ctx(request.ip),
        request.params.id,
        request.params.applicationId,
        request.params.jurorId,
        user,
      );
      return { ok: true };
    },
  );
};
