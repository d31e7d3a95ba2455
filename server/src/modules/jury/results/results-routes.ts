import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MEDIA, PUBLIC, fileResponse } from '../../../http/openapi.ts';
import type { MailingRouteOptions } from '../../mail/outbox.ts';
import { Type } from '@sinclair/typebox';
import { AppError, errorResponses, trimBody } from '../../../http/errors.ts';
import { requireRole, requireUser } from '../../auth/plugin.ts';
import { findContest } from '../../contests/service.ts';
import { renderProtocol } from './protocol.ts';
import { entryReport } from './entry-report.ts';
import { renderEntryReport } from './entry-report-pdf.ts';
import { fullName } from '../../auth/present.ts';
import { contentDisposition } from '../../files/routes.ts';
import {
  applicationResult,
  publicResults,
  publishResults,
  removeOverride,
  setOverride,
  unpublishResults,
} from './publication.ts';
import { getMeeting, saveMeeting } from './meeting.ts';
import { checkPublishedResults } from './results-check.ts';
import { protocolInput, resultsXlsx } from './results-export.ts';
import {
  ApplicationIdParams,
  ApplicationResult,
  ContestIdParams,
  ContestResultsTable,
  EntryReport,
  JuryMeeting,
  JuryMeetingResponse,
  OverrideBody,
  OverrideParams,
  PublicResults,
  PublishBody,
  PublishResponse,
  ResultsAccess,
  ResultsCheck,
  SlugParams,
} from './results-schemas.ts';
import { computeContestResults, resultsViewer } from './results-service.ts';

const tags = ['Жюри: итоги'];

export const juryResultRoutes: FastifyPluginAsyncTypebox<MailingRouteOptions> = async (app, opts) => {
  const { db, now } = opts;
  const contestOf = (id: string) => findContest(db, { id }, { includeArchived: true });

  app.get(
    '/api/contests/:id/results',
    {
      schema: {
        tags,
        summary: 'Таблица итогов жюри (организаторам; председателю жюри — после отправки всех своих листов)',
        params: ContestIdParams,
        response: { 200: ContestResultsTable, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const contest = await contestOf(request.params.id);
      const viewer = await resultsViewer(db, contest.id, user);
      return computeContestResults(db, contest, viewer);
    },
  );

  app.get(
    '/api/contests/:id/results/access',
    {
      schema: {
        tags,
        summary: 'Может ли спрашивающий видеть итоги жюри (для ссылок на страницах)',
        params: ContestIdParams,
        response: { 200: ResultsAccess, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const contest = await contestOf(request.params.id);
      try {
        return { viewer: await resultsViewer(db, contest.id, user), message: null };
      } catch (error) {
        if (error instanceof AppError && error.statusCode === 403) {
          // Only the chair is told why; everyone else simply has no results to see.
          return { viewer: null, message: error.code === 'chair_sheets_pending' ? error.message : null };
        }
        throw error;
      }
    },
  );

  app.put(
    '/api/contests/:id/results/overrides/:applicationId',
    {
      preValidation: trimBody('reason'),
      schema: {
        tags,
        summary: 'Изменить место работы с обоснованием (null — без места); не после публикации',
        params: OverrideParams,
        body: OverrideBody,
        response: { 200: ContestResultsTable, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const contest = await contestOf(request.params.id);
      await setOverride(
        db,
        contest,
        request.params.applicationId,
        request.body,
        { id: actor.id, ip: request.ip },
        now(),
      );
      return computeContestResults(db, contest, 'organizer');
    },
  );

  app.delete(
    '/api/contests/:id/results/overrides/:applicationId',
    {
      schema: {
        tags,
        summary: 'Вернуть расчётное место (отменить изменение)',
        params: OverrideParams,
        response: { 200: ContestResultsTable, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const contest = await contestOf(request.params.id);
      await removeOverride(db, contest, request.params.applicationId, { id: actor.id, ip: request.ip });
      return computeContestResults(db, contest, 'organizer');
    },
  );

  app.post(
    '/api/contests/:id/results/publish',
    {
      schema: {
        tags,
        summary:
          'Опубликовать итоги: снимок мест, письма заявителям; повторно — только после снятия с публикации, и письма только тем, чей результат изменился',
        params: ContestIdParams,
        body: Type.Optional(PublishBody),
        response: { 200: PublishResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const contest = await contestOf(request.params.id);
      const result = await publishResults(
        db,
        contest,
        { confirmIncomplete: request.body?.confirmIncomplete === true },
        { id: actor.id, ip: request.ip },
        {
          now: now(),
          deliverMail: opts.deliverMail,
          publicUrl: opts.publicUrl,
        },
      );
      return result;
    },
  );

  app.post(
    '/api/contests/:id/results/unpublish',
    {
      schema: {
        tags,
        summary: 'Снять итоги с публикации (чтобы исправить и опубликовать заново)',
        params: ContestIdParams,
        response: { 200: PublishResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      const contest = await contestOf(request.params.id);
      await unpublishResults(db, contest, { id: actor.id, ip: request.ip });
      return { publishedAt: null, entries: 0, mailed: 0, unchanged: 0 };
    },
  );

  app.post(
    '/api/contests/:id/results/check',
    {
      schema: {
        tags,
        summary: 'Проверить итоги: пересчитать опубликованные места, ранги и баллы по оценочным листам и сравнить',
        description: 'Ничего не меняет. Организаторам.',
        params: ContestIdParams,
        response: { 200: ResultsCheck, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return checkPublishedResults(db, await contestOf(request.params.id));
    },
  );

  app.get(
    '/api/contests/:id/jury/meeting',
    {
      schema: {
        tags,
        summary: 'Заседание жюри для протокола: номер, дата, место, секретарь, кто не участвовал (организаторам)',
        params: ContestIdParams,
        response: { 200: JuryMeetingResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return getMeeting(db, await contestOf(request.params.id));
    },
  );

  app.put(
    '/api/contests/:id/jury/meeting',
    {
      preValidation: trimBody('number', 'place', 'secretary'),
      schema: {
        tags,
        summary: 'Сохранить сведения о заседании жюри для протокола',
        params: ContestIdParams,
        body: JuryMeeting,
        response: { 200: JuryMeetingResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      return saveMeeting(db, await contestOf(request.params.id), request.body, { id: actor.id, ip: request.ip });
    },
  );

  app.get(
    '/api/contests/:id/protocol.pdf',
    {
      schema: {
        tags,
        summary: 'Протокол заседания жюри (PDF)',
        params: ContestIdParams,
        response: { 200: fileResponse('Протокол в PDF', MEDIA.pdf), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const contest = await contestOf(request.params.id);
      const table = await computeContestResults(db, contest, await resultsViewer(db, contest.id, user));
      const doc = renderProtocol(await protocolInput(db, contest, table, now()));
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="protocol-${contest.slug}.pdf"`)
        .header('cache-control', 'private, no-store');
      return reply.send(doc);
    },
  );

  app.get(
    '/api/contests/:id/entries/:applicationId/report',
    {
      schema: {
        tags,
        summary:
          'Отчёт по работе: листы всех членов жюри, конфликты, расчёт оценки, ранг, изменения мест (организаторам)',
        description:
          'Числа — те же, что в таблице итогов и протоколе: z-оценки, отброшенные итоги, критерий для равных оценок. Изменения мест и возвраты листов — из журнала действий.',
        params: OverrideParams,
        response: { 200: EntryReport, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return entryReport(db, await contestOf(request.params.id), request.params.applicationId);
    },
  );

  app.get(
    '/api/contests/:id/entries/:applicationId/report.pdf',
    {
      schema: {
        tags,
        summary: 'Отчёт по работе (PDF): оценочные листы, расчёт итоговой оценки, изменения мест (организаторам)',
        params: OverrideParams,
        response: { 200: fileResponse('Отчёт в PDF', MEDIA.pdf), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'organizer');
      const report = await entryReport(db, await contestOf(request.params.id), request.params.applicationId);
      const doc = renderEntryReport(report, { now: now(), preparedBy: fullName(user) });
      reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          contentDisposition(
            'attachment',
            `otchet-${report.entry.registrationNumber ?? report.entry.applicationId}.pdf`,
          ),
        )
        .header('cache-control', 'private, no-store');
      return reply.send(doc);
    },
  );

  app.get(
    '/api/contests/:id/results.xlsx',
    {
      schema: {
        tags,
        summary: 'Таблица итогов жюри в XLSX',
        params: ContestIdParams,
        response: { 200: fileResponse('Таблица итогов (XLSX)', MEDIA.xlsx), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const contest = await contestOf(request.params.id);
      const table = await computeContestResults(db, contest, await resultsViewer(db, contest.id, user));
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="itogi-${contest.slug}.xlsx"`);
      return reply.send(await resultsXlsx(table));
    },
  );

  app.get(
    '/api/public/contests/:slug/results',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Опубликованные итоги конкурса (места и участники, без баллов)',
        params: SlugParams,
        response: { 200: PublicResults, ...errorResponses(400, 404) },
      },
    },
    async (request) => publicResults(db, request.params.slug),
  );

  app.get(
    '/api/applications/:id/result',
    {
      schema: {
        tags,
        summary: 'Результат заявки для её автора (после публикации итогов)',
        params: ApplicationIdParams,
        response: { 200: ApplicationResult, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => applicationResult(db, request.params.id, requireUser(request)),
  );
};
