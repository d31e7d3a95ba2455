import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MEDIA, PUBLIC, fileResponse } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { AwardKind, Db } from '@konkurs/db';
import { AppError, errorResponses, notFound } from '../../http/errors.ts';
import { moscowDate } from '../../lib/moscow.ts';
import { requireRole, requireUser } from '../auth/plugin.ts';
import { enforce, recordHit, tooMany, verifyLimits } from '../auth/throttle.ts';
import type { FileStorage } from '../files/storage.ts';
import { formatCode, normalizeCode } from './codes.ts';
import { eventImageIds, imageLoader } from './images.ts';
import { formsOf, type CertificateMail } from './service.ts';
import { certificateImageRoutes } from './image-routes.ts';
import { certificateIssueRoutes } from './issue-routes.ts';
import { createCertificateDocument, renderCertificates } from './render.ts';
import { getOrganisation } from './organisation.ts';
import {
  AwardSchema,
  CertificateSummary,
  EventQuery,
  ScopeQuery,
  TemplateBody,
  TemplateResponse,
  VerificationResult,
} from './schemas.ts';
import {
  awardLabel,
  certificatesForPrinting,
  certificatesOfUser,
  checkScope,
  eventTitle,
  findCertificate,
  findCertificateByCode,
  isEvent,
  listCertificates,
  eventRef,
  revokeCertificate,
  saveTemplate,
  scopeRef,
  templateFor,
  toView,
  type Scope,
} from './service.ts';
import { summary } from './summary.ts';
import { AWARD_KINDS, AWARDS_OF, PLACEHOLDERS, fillPlaceholders, unknownPlaceholders } from './templates.ts';

/** The awards a scope has templates for: an event only its own kind's; the organisation all of them. */
const awardsFor = (scope: Scope) =>
  scope.contestId ? AWARDS_OF.contest : scope.olympiadId ? AWARDS_OF.olympiad : AWARD_KINDS;

const tags = ['Наградные документы'];
// A stream is sent as it is: the schema only documents the route.
const PdfResponse = fileResponse('PDF', MEDIA.pdf);

/** Only ASCII in the file name header (Д-2026-000017 → certificate-D-2026-000017.pdf). */
const LATIN: Record<string, string> = { Д: 'D', С: 'S', Б: 'B' };
const pdfFileName = (registry: string) =>
  `certificate-${registry.replace(/[ДСБ]/g, (c) => LATIN[c]).replace(/[^0-9A-Za-z-]/g, '')}.pdf`;

export const certificateRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  publicUrl: string;
  storage: FileStorage;
  mail: CertificateMail;
  now: () => Date;
}> = async (app, { db, publicUrl, storage, mail, now }) => {
  await app.register(certificateIssueRoutes, { db, mail, now });
  await app.register(certificateImageRoutes, { db, storage });
  const loadImage = imageLoader(db, storage);

  app.get(
    '/api/verify/:code',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Проверка наградного документа по коду (для всех)',
        params: Type.Object({ code: Type.String({ maxLength: 40, title: 'Код проверки' }) }),
        response: { 200: VerificationResult, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) => {
      // Codes that match nothing are limited per address, so that codes cannot be guessed by trying many (throttle.ts).
      const limits = verifyLimits(request.ip);
      await enforce(db, limits, (seconds) =>
        tooMany(
          'too_many_verifications',
          (wait) =>
            `С этого адреса проверено слишком много неверных кодов подряд. Повторите через ${wait}. Код можно не вводить: наведите камеру телефона на QR-код документа.`,
          seconds,
        ),
      );
      const code = normalizeCode(request.params.code);
      const row = code ? await findCertificateByCode(db, code) : undefined;
      // An unknown code tells nothing more than that.
      if (!row) {
        await recordHit(db, limits);
        throw notFound('Документ с таким кодом не найден. Проверьте, что код введён без ошибок.');
      }
      // A letter of thanks is for the jury's work, which a review of the results does not undo.
      const status = row.replaced_by
        ? ('replaced' as const)
        : row.revoked_at
          ? ('revoked' as const)
          : !row.results_published && row.award !== 'juror_thanks'
            ? ('under_review' as const)
            : ('valid' as const);
      // A replaced document names neither its replacement's number or code nor why it was replaced: the holder of the
      // old paper learns only that it is no longer the valid one, and since when.
      return {
        status,
        registryNumber: row.registry_number,
        code: formatCode(row.code),
        awardLabel: awardLabel(row.award),
        title: row.title,
        subtitle: row.subtitle,
        recipientName: row.recipient_name,
        eventTitle: row.event_title,
        issuer: row.issuer,
        issuedOn: row.issued_on,
        revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
        revokeReason: status === 'replaced' ? null : row.revoke_reason,
        replacedOn: status === 'replaced' ? row.replaced_on : null,
      };
    },
  );

  app.get(
    '/api/certificates/mine',
    {
      schema: {
        tags,
        summary: 'Мои наградные документы',
        response: { 200: Type.Object({ certificates: Type.Array(CertificateSummary) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { certificates: (await certificatesOfUser(db, user.id)).map(summary) };
    },
  );

  app.get(
    '/api/certificates',
    {
      schema: {
        tags,
        summary: 'Наградные документы мероприятия (для организатора)',
        querystring: EventQuery,
        response: {
          200: Type.Object({ certificates: Type.Array(CertificateSummary) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return { certificates: (await listCertificates(db, eventRef(request.query))).map(summary) };
    },
  );

  app.get(
    '/api/certificates/:id/pdf',
    {
      schema: {
        tags,
        summary: 'Скачать наградной документ (получателю и организатору)',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Документ' }) }),
        response: { 200: PdfResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const row = await findCertificate(db, request.params.id);
      // Someone else's certificate looks the same as a missing one.
      if (!row || (row.recipient_user_id !== user.id && !user.roles.includes('organizer')))
        throw notFound('Наградной документ не найден.');
      const doc = createCertificateDocument(
        `${awardLabel(row.award)} № ${row.registry_number} — ${row.recipient_name}`,
      );
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${pdfFileName(row.registry_number)}"`)
        .header('cache-control', 'private, no-store');
      renderCertificates([toView(row, publicUrl)], doc, loadImage).catch((error) => doc.destroy(error as Error));
      return reply.send(doc);
    },
  );

  app.get(
    '/api/certificates/batch.pdf',
    {
      schema: {
        tags,
        summary: 'Все действующие документы мероприятия одним PDF для печати (для организатора)',
        querystring: EventQuery,
        response: { 200: PdfResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireRole(request, 'organizer');
      const event = eventRef(request.query);
      await eventTitle(db, event);
      const doc = createCertificateDocument();
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="certificates.pdf"')
        .header('cache-control', 'private, no-store');
      async function* views() {
        for await (const row of certificatesForPrinting(db, event)) yield toView(row, publicUrl);
      }
      renderCertificates(views(), doc, loadImage).catch((error) => {
        request.log.error({ err: error }, 'batch certificate rendering failed');
        doc.destroy(error as Error);
      });
      return reply.send(doc);
    },
  );

  app.post(
    '/api/certificates/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Отозвать наградной документ (для организатора)',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Документ' }) }),
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500, title: 'Причина отзыва' }) }),
        response: { 200: CertificateSummary, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      return summary(
        await revokeCertificate(db, request.params.id, request.body.reason.trim(), user.id, request.ip, now()),
      );
    },
  );

  app.get(
    '/api/certificate-templates',
    {
      schema: {
        tags,
        summary: 'Шаблоны наград мероприятия (только его видов наград) или организации (для организатора)',
        querystring: ScopeQuery,
        response: {
          200: Type.Object({
            templates: Type.Array(TemplateResponse),
            placeholders: Type.Record(Type.String(), Type.String()),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      const event = scopeRef(request.query);
      await checkScope(db, event);
      const templates = [];
      for (const award of awardsFor(event))
        templates.push({ award, awardLabel: awardLabel(award), ...(await templateFor(db, event, award)) });
      return { templates, placeholders: { ...PLACEHOLDERS } };
    },
  );

  app.put(
    '/api/certificate-templates/:award',
    {
      schema: {
        tags,
        summary: 'Изменить шаблон награды (для организатора)',
        params: Type.Object({ award: AwardSchema }),
        querystring: ScopeQuery,
        body: TemplateBody,
        response: { 200: TemplateResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const event = scopeRef(request.query);
      await checkScope(db, event);
      const award = request.params.award as AwardKind;
      if (!awardsFor(event).includes(award)) {
        throw new AppError(
          'validation',
          `${event.contestId ? 'Конкурс' : 'Олимпиада'} не выдаёт документ «${awardLabel(award)}».`,
          { award: 'Этот вид награды здесь не выдаётся.' },
        );
      }
      const body = { ...request.body, recipient: request.body.recipient ?? '{ФИО}' };
      const fields: Record<string, string> = {};
      for (const name of ['title', 'subtitle', 'lead', 'recipient', 'body', 'place'] as const) {
        const unknown = unknownPlaceholders(body[name]);
        if (unknown.length)
          fields[name] = `Неизвестная подстановка {${unknown[0]}}. Доступны: ${Object.keys(PLACEHOLDERS)
            .map((p) => `{${p}}`)
            .join(', ')}.`;
      }
      if (Object.keys(fields).length)
        throw new AppError('validation', `Проверьте шаблон. ${Object.values(fields)[0]}`, fields);
      await saveTemplate(db, event, award, body, { id: user.id, ip: request.ip });
      return { award, awardLabel: awardLabel(award), ...(await templateFor(db, event, award)) };
    },
  );

  app.get(
    '/api/certificate-templates/:award/preview.pdf',
    {
      schema: {
        tags,
        summary: 'Образец документа по шаблону (для организатора)',
        params: Type.Object({ award: AwardSchema }),
        querystring: ScopeQuery,
        response: { 200: PdfResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireRole(request, 'organizer');
      const event = scopeRef(request.query);
      const title = isEvent(event) ? await eventTitle(db, event) : 'Название мероприятия';
      const award = request.params.award as AwardKind;
      const t = await templateFor(db, event, award);
      const images = await eventImageIds(db, event);
      const org = await getOrganisation(db);
      const date = moscowDate(now());
      const sample = { key: 'sample', userId: null, name: 'Константинопольская-Щедрина Анастасия Владимировна' };
      const forms = formsOf(sample, new Map());
      const values = {
        ФИО: sample.name,
        ФИО_род: forms.genitive,
        ФИО_дат: forms.dative,
        ФИО_вин: forms.accusative,
        ФИО_твор: forms.instrumental,
        ФИО_пред: forms.prepositional,
        'принял(а)': 'приняла',
        'ученик(ца)': 'ученица',
        школа: 'МБОУ «Средняя школа № 1»',
        класс: '10А',
        конкурс: title,
        номинация: 'Номинация',
        место: award === 'place2' ? '2' : award === 'place3' ? '3' : '1',
        дата: date,
        организация: org.name,
        город: org.city,
      };
      const doc = createCertificateDocument(`Образец: ${awardLabel(award)}`);
      reply.header('content-type', 'application/pdf').header('content-disposition', 'inline; filename="preview.pdf"');
      void renderCertificates(
        [
          {
            issuer: org.name,
            title: fillPlaceholders(t.title, values),
            subtitle: fillPlaceholders(t.subtitle, values),
            lead: fillPlaceholders(t.lead, values),
            recipientName: fillPlaceholders(t.recipient, values),
            body: fillPlaceholders(t.body, values),
            date,
            place: fillPlaceholders(t.place || '{город}', values),
            signatories: t.signatories.length ? t.signatories : org.signatories,
            registryNumber: 'ОБРАЗЕЦ',
            code: 'XXXX-XXXX-XXXX-XXXX',
            verifyUrl: `${publicUrl}/verify`,
            orientation: t.orientation,
            logoFileId: images.logo,
            signatureFileId: images.signature,
          },
        ],
        doc,
        loadImage,
      ).catch((error) => doc.destroy(error as Error));
      return reply.send(doc);
    },
  );
};
