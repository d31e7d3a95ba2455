import { contentDisposition } from '../files/routes.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fileResponse, MEDIA } from '../../http/openapi.ts';
import type { MailingRouteOptions } from '../mail/outbox.ts';
import { Type } from '@sinclair/typebox';
import { AppError, errorResponses } from '../../http/errors.ts';
import { toCsv, toXlsx } from '../../lib/spreadsheet.ts';
import { requireRole, requireUser } from '../auth/plugin.ts';
import { findContest } from '../contests/service.ts';
import type { Answers } from '../forms/definition.ts';
import type { FileStorage } from '../files/storage.ts';
import { applicationExportColumns } from './export.ts';
import { removeApplicationFile, uploadApplicationFile } from './files.ts';
import { renderApplicationPdf } from './print.ts';
import {
  ApplicationResponse,
  AttachedFile,
  ContestApplications,
  ContestApplicationsQuery,
  CreateApplicationBody,
  DecisionBody,
  ExtensionBody,
  MyApplications,
  SaveAnswersBody,
  SavedAnswersResponse,
  WithdrawBody,
} from './schemas.ts';
import {
  contestApplications,
  createApplication,
  decideApplication,
  getApplication,
  myApplications,
  saveAnswers,
  setExtension,
  submitApplication,
  withdrawApplication,
  type Ctx,
} from './service.ts';

const tags = ['Заявки'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Заявка' }) });

export interface ApplicationRoutesOptions extends MailingRouteOptions {
  storage: FileStorage;
}

export const applicationRoutes: FastifyPluginAsyncTypebox<ApplicationRoutesOptions> = async (app, opts) => {
  const { db, storage, now } = opts;
  const ctx = (ip: string): Ctx => ({ db, now: now(), ip, deliverMail: opts.deliverMail, publicUrl: opts.publicUrl });

  app.post(
    '/api/applications',
    {
      schema: {
        tags,
        summary: 'Начать заявку в номинации (черновик)',
        body: CreateApplicationBody,
        response: { 201: ApplicationResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'applicant');
      const c = ctx(request.ip);
      const id = await createApplication(c, user, request.body.nominationId);
      reply.status(201);
      return { application: await getApplication(c, id, user) };
    },
  );

  app.get(
    '/api/applications/mine',
    {
      schema: { tags, summary: 'Мои заявки', response: { 200: MyApplications, ...errorResponses(401) } },
    },
    async (request) => ({ applications: await myApplications(db, requireUser(request)) }),
  );

  app.get(
    '/api/applications/:id',
    {
      schema: {
        tags,
        summary: 'Заявка: ответы, файлы, история (автору и организаторам)',
        params: IdParams,
        response: { 200: ApplicationResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { application: await getApplication(ctx(request.ip), request.params.id, user) };
    },
  );

  app.get(
    '/api/applications/:id/print.pdf',
    {
      schema: {
        tags,
        summary: 'Заявка для печати и подписи (PDF; автору и организаторам, после подачи)',
        params: IdParams,
        response: { 200: fileResponse('Заявка в PDF', MEDIA.pdf), ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const view = await getApplication(ctx(request.ip), request.params.id, user);
      if (!view.registrationNumber)
        throw new AppError('not_submitted', 'Распечатать можно поданную заявку: черновик ещё не подан.');
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition('attachment', `zayavka-${view.registrationNumber}.pdf`))
        .header('cache-control', 'private, no-store');
      return reply.send(renderApplicationPdf(view, now()));
    },
  );

  app.put(
    '/api/applications/:id/answers',
    {
      schema: {
        tags,
        summary: 'Сохранить черновик ответов (можно неполный; неверно заполненные поля не сохраняются)',
        params: IdParams,
        body: SaveAnswersBody,
        response: { 200: SavedAnswersResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const c = ctx(request.ip);
      const refused = await saveAnswers(c, request.params.id, user, request.body.answers as Answers);
      return { application: await getApplication(c, request.params.id, user), refused };
    },
  );

  app.post(
    '/api/applications/:id/submit',
    {
      schema: {
        tags,
        summary: 'Подать заявку',
        params: IdParams,
        response: { 200: ApplicationResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const c = ctx(request.ip);
      await submitApplication(c, request.params.id, user);
      opts.mailQueued();
      return { application: await getApplication(c, request.params.id, user) };
    },
  );

  app.post(
    '/api/applications/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Отозвать заявку',
        params: IdParams,
        body: WithdrawBody,
        response: { 200: ApplicationResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const c = ctx(request.ip);
      await withdrawApplication(c, request.params.id, user, request.body.reason);
      return { application: await getApplication(c, request.params.id, user) };
    },
  );

  app.post(
    '/api/applications/:id/files',
    {
      schema: {
        tags,
        summary: 'Приложить файл к полю формы (multipart, поле file)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        querystring: Type.Object({ field: Type.String({ maxLength: 40, title: 'Поле формы' }) }),
        response: { 201: Type.Object({ file: AttachedFile }), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!request.isMultipart())
        throw new AppError('validation', 'Выберите файл.', { [request.query.field]: 'Выберите файл.' });
      const file = await request.file();
      const stored = await uploadApplicationFile(
        { db, storage },
        request.params.id,
        request.query.field,
        user,
        file,
        now(),
        request.ip,
      );
      reply.status(201);
      return { file: stored };
    },
  );

  app.delete(
    '/api/applications/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: 'Убрать файл из заявки',
        params: Type.Object({ id: IdParams.properties.id, fileId: Type.String({ format: 'uuid', title: 'Файл' }) }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await removeApplicationFile({ db, storage }, request.params.id, request.params.fileId, user, now(), request.ip);
      return { ok: true };
    },
  );

  app.post(
    '/api/applications/:id/decision',
    {
      schema: {
        tags,
        summary: 'Решение организатора: принять, вернуть на доработку, отклонить',
        params: IdParams,
        body: DecisionBody,
        response: { 200: ApplicationResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const c = ctx(request.ip);
      await decideApplication(
        c,
        request.params.id,
        user,
        request.body.action,
        request.body.comment,
        request.body.extendUntil,
      );
      opts.mailQueued();
      return { application: await getApplication(c, request.params.id, user) };
    },
  );

  app.put(
    '/api/applications/:id/extension',
    {
      schema: {
        tags,
        summary: 'Индивидуальное продление срока (null — отменить)',
        params: IdParams,
        body: ExtensionBody,
        response: { 200: ApplicationResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const c = ctx(request.ip);
      await setExtension(c, request.params.id, user, request.body.until);
      opts.mailQueued();
      return { application: await getApplication(c, request.params.id, user) };
    },
  );

  const ContestParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Конкурс' }) });

  app.get(
    '/api/contests/:id/applications',
    {
      schema: {
        tags,
        summary: 'Заявки конкурса с отбором и счётчиками (для организатора)',
        params: ContestParams,
        querystring: ContestApplicationsQuery,
        response: { 200: ContestApplications, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      const contest = await findContest(db, { id: request.params.id }, { includeArchived: true });
      const result = await contestApplications(db, contest.id, request.query);
      return { applications: result.items, counts: result.counts, municipalities: result.municipalities };
    },
  );

  app.get(
    '/api/contests/:id/applications/export',
    {
      schema: {
        tags,
        summary: 'Выгрузка заявок в XLSX или CSV (с теми же отборами)',
        params: ContestParams,
        querystring: Type.Composite([
          ContestApplicationsQuery,
          Type.Object({ format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { title: 'Формат' }) }),
        ]),
        response: {
          200: fileResponse('Список заявок (XLSX или CSV)', MEDIA.xlsx, MEDIA.csv),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'organizer');
      const contest = await findContest(db, { id: request.params.id }, { includeArchived: true });
      const { format, ...filters } = request.query;
      const result = await contestApplications(db, contest.id, filters, { withDrafts: false });
      const views = await Promise.all(result.items.map((item) => getApplication(ctx(request.ip), item.id, user)));
      const columns = applicationExportColumns(views, opts.publicUrl);
      const name = `zayavki-${contest.slug}`;
      if (format === 'csv') {
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`);
        return reply.send(toCsv(columns, views));
      }
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`);
      return reply.send(await toXlsx('Заявки', columns, views));
    },
  );
};
