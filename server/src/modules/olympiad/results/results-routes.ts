import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fileResponse, MEDIA } from '../../../http/openapi.ts';
import type { Db } from '@konkurs/db';
import { xlsxStream, type Column } from '../../../lib/spreadsheet.ts';
import { errorResponses } from '../../../http/errors.ts';
import { sendSlicedJson } from '../../../http/sliced-json.ts';
import { requireRole, requireUser } from '../../auth/plugin.ts';
import { AWARD_STATUS_LABELS, computeResults, myResult, publishResults, setAwardRule } from './results-service.ts';
import type { OlympiadMail } from '../mail.ts';
import { AwardRuleSchema, MyResult, OlympiadParams, ResultsPreview } from '../schemas.ts';

const tags = ['Олимпиада: итоги'];
/** «победитель» → «Победитель», for the table's cells. */
const capitalized = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

export const olympiadResultRoutes: FastifyPluginAsyncTypebox<{ db: Db; mail: OlympiadMail }> = async (
  app,
  { db, mail },
) => {
  app.get(
    '/api/olympiads/:olympiadId/results',
    {
      schema: {
        tags,
        summary: 'Итоги: таблица с баллами, местами и статусами (предпросмотр для организатора)',
        params: OlympiadParams,
        response: { 200: ResultsPreview, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireRole(request, 'organizer');
      return sendSlicedJson(reply, await computeResults(db, request.params.olympiadId), 'rows');
    },
  );

  app.get(
    '/api/olympiads/:olympiadId/results.xlsx',
    {
      schema: {
        tags,
        summary: 'Итоговая (или предварительная) таблица в XLSX (для организатора)',
        params: OlympiadParams,
        response: { 200: fileResponse('Таблица итогов (XLSX)', MEDIA.xlsx), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireRole(request, 'organizer');
      const results = await computeResults(db, request.params.olympiadId);
      type Row = ResultsPreview['rows'][number];
      const taskCount = Math.max(0, ...results.rows.map((r) => r.points.length));
      const columns: Column<Row>[] = [
        { header: 'Место', value: (r) => r.rank, width: 8 },
        { header: 'ФИО', value: (r) => r.fullName, width: 34 },
        { header: 'Школа', value: (r) => r.school, width: 36 },
        { header: 'Класс', value: (r) => r.className, width: 8 },
        { header: 'Шифр', value: (r) => r.cipher, width: 12 },
        { header: `Баллы (из ${results.maxScore})`, value: (r) => r.total, width: 12 },
        { header: 'Статус', value: (r) => capitalized(AWARD_STATUS_LABELS[r.status]), width: 14 },
        // An open answer the jury has not graded yet stays empty.
        ...Array.from({ length: taskCount }, (_, i): Column<Row> => ({
          header: `Задание ${i + 1}`,
          value: (r) => r.points[i],
          width: 11,
        })),
      ];
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="olympiad-results.xlsx"`);
      return reply.send(xlsxStream(results.olympiad.final ? 'Итоги' : 'Предварительные итоги', columns, results.rows));
    },
  );

  app.put(
    '/api/olympiads/:olympiadId/award-rule',
    {
      schema: {
        tags,
        summary: 'Правило награждения: порог, квота, число победителей, рейтинг по параллелям',
        params: OlympiadParams,
        body: AwardRuleSchema,
        response: { 200: ResultsPreview, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, 'organizer');
      await setAwardRule(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
      return sendSlicedJson(reply, await computeResults(db, request.params.olympiadId), 'rows');
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/results/publish',
    {
      schema: {
        tags,
        summary: 'Опубликовать итоги',
        params: OlympiadParams,
        response: { 200: ResultsPreview, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, 'organizer');
      const results = await publishResults(db, request.params.olympiadId, { id: actor.id, ip: request.ip }, mail);
      return sendSlicedJson(reply, results, 'rows');
    },
  );

  app.get(
    '/api/olympiads/:olympiadId/results/my',
    {
      schema: {
        tags,
        summary: 'Мой результат (после публикации итогов)',
        params: OlympiadParams,
        response: { 200: MyResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => myResult(db, request.params.olympiadId, requireUser(request).id),
  );
};
