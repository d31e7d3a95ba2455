import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MEDIA, PUBLIC, fileResponse } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { AwardKind, Db } from '@konkurs/db';
import { AppError, errorResponses, notFound } from '../../http/errors.ts';
import { moscowDate } from '../../lib/moscow.ts';
import { recordAudit } from '../audit/service.ts';
import { requireRole, requireUser } from '../auth/plugin.ts';
import { enforce, recordHit, tooMany, verifyLimits } from '../auth/throttle.ts';
import type { FileStorage } from '../files/storage.ts';
import { formatCode, normalizeCode } from './codes.ts';
import { eventImageIds, imageLoader } from './images.ts';
import { certificateImageRoutes } from './image-routes.ts';
import { certificateIssueRoutes } from './issue-routes.ts';
import { createCertificateDocument, renderCertificates } from './render.ts';
import { AwardSchema, CertificateSummary, EventQuery, TemplateBody, TemplateResponse, VerificationResult } from './schemas.ts';
import {
  awardLabel, certificatesForPrinting, certificatesOfUser, eventTitle, findCertificate, findCertificateByCode, listCertificates,
  eventRef, revokeCertificate, templateFor, toView, type CertificateRow,
} from './service.ts';
import { AWARD_KINDS, PLACEHOLDERS, fillPlaceholders, unknownPlaceholders } from './templates.ts';

const tags = ['Наградные документы'];
// A stream is sent as it is: the schema only documents the route.
const PdfResponse = fileResponse('PDF', MEDIA.pdf);

function summary(row: CertificateRow) {
  return {
    id: row.id,
    registryNumber: row.registry_number,
    award: row.award,
    awardLabel: awardLabel(row.award),
    recipientName: row.recipient_name,
    eventTitle: row.event_title,
    issuedOn: row.issued_on,
    revoked: row.revoked_at !== null,
    revokeReason: row.revoke_reason,
  };
}

/** Only ASCII in the file name header (Д-2026-000017 → certificate-D-2026-000017.pdf). */
const LATIN: Record<string, string> = { Д: 'D', С: 'S', Б: 'B' };
const pdfFileName = (registry: string) => `certificate-${registry.replace(/[ДСБ]/g, (c) => LATIN[c]).replace(/[^0-9A-Za-z-]/g, '')}.pdf`;

export const certificateRoutes: FastifyPluginAsyncTypebox<{ db: Db; publicUrl: string; storage: FileStorage }> = async (app, { db, publicUrl, storage }) => {
  await app.register(certificateIssueRoutes, { db });
  await app.register(certificateImageRoutes, { db, storage });
  const loadImage = imageLoader(db, storage);

  app.get('/api/verify/:code', {
    schema: {
      security: PUBLIC,
      tags, summary: 'Проверка наградного документа по коду (для всех)',
      params: Type.Object({ code: Type.String({ maxLength: 40, title: 'Код проверки' }) }),
      response: { 200: VerificationResult, ...errorResponses(400, 404, 429) },
    },
  }, async (request) => {
    // Codes that match nothing are limited per address, so that codes cannot be guessed by trying many (throttle.ts).
    const limits = verifyLimits(request.ip);
    await enforce(db, limits, (seconds) => tooMany('too_many_verifications', (wait) =>
      `С этого адреса проверено слишком много неверных кодов подряд. Повторите через ${wait}. Код можно не вводить: наведите камеру телефона на QR-код документа.`, seconds));
    const code = normalizeCode(request.params.code);
    const row = code ? await findCertificateByCode(db, code) : undefined;
    // An unknown code tells nothing more than that.
    if (!row) {
      await recordHit(db, limits);
      throw notFound('Документ с таким кодом не найден. Проверьте, что код введён без ошибок.');
    }
    return {
      status: row.revoked_at ? ('revoked' as const) : ('valid' as const),
      registryNumber: row.registry_number,
      code: formatCode(row.code),
      awardLabel: awardLabel(row.award),
      title: row.title,
      subtitle: row.subtitle,
      recipientName: row.recipient_name,
      eventTitle: row.event_title,
      issuedOn: row.issued_on,
      revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
      revokeReason: row.revoke_reason,
    };
  });

  app.get('/api/certificates/mine', {
    schema: { tags, summary: 'Мои наградные документы', response: { 200: Type.Object({ certificates: Type.Array(CertificateSummary) }), ...errorResponses(401) } },
  }, async (request) => {
    const user = requireUser(request);
    return { certificates: (await certificatesOfUser(db, user.id)).map(summary) };
  });

  app.get('/api/certificates', {
    schema: { tags, summary: 'Наградные документы мероприятия (для организатора)', querystring: EventQuery, response: { 200: Type.Object({ certificates: Type.Array(CertificateSummary) }), ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    requireRole(request, 'organizer');
    return { certificates: (await listCertificates(db, eventRef(request.query))).map(summary) };
  });

  app.get('/api/certificates/:id/pdf', {
    schema: {
      tags, summary: 'Скачать наградной документ (получателю и организатору)',
      params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Документ' }) }),
      response: { 200: PdfResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const row = await findCertificate(db, request.params.id);
    // Someone else's certificate looks the same as a missing one.
    if (!row || (row.recipient_user_id !== user.id && !user.roles.includes('organizer'))) throw notFound('Наградной документ не найден.');
    const doc = createCertificateDocument();
    reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${pdfFileName(row.registry_number)}"`).header('cache-control', 'private, no-store');
    renderCertificates([toView(row, publicUrl)], doc, loadImage).catch((error) => doc.destroy(error as Error));
    return reply.send(doc);
  });

  app.get('/api/certificates/batch.pdf', {
    schema: { tags, summary: 'Все действующие документы мероприятия одним PDF для печати (для организатора)', querystring: EventQuery, response: { 200: PdfResponse, ...errorResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    requireRole(request, 'organizer');
    const event = eventRef(request.query);
    await eventTitle(db, event);
    const doc = createCertificateDocument();
    reply.header('content-type', 'application/pdf').header('content-disposition', 'attachment; filename="certificates.pdf"').header('cache-control', 'private, no-store');
    async function* views() {
      for await (const row of certificatesForPrinting(db, event)) yield toView(row, publicUrl);
    }
    renderCertificates(views(), doc, loadImage).catch((error) => {
      request.log.error({ err: error }, 'batch certificate rendering failed');
      doc.destroy(error as Error);
    });
    return reply.send(doc);
  });

  app.post('/api/certificates/:id/revoke', {
    schema: {
      tags, summary: 'Отозвать наградной документ (для организатора)',
      params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Документ' }) }),
      body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500, title: 'Причина отзыва' }) }),
      response: { 200: CertificateSummary, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request) => {
    const user = requireRole(request, 'organizer');
    return summary(await revokeCertificate(db, request.params.id, request.body.reason.trim(), user.id, request.ip));
  });

  app.get('/api/certificate-templates', {
    schema: {
      tags, summary: 'Шаблоны наград мероприятия (для организатора)', querystring: EventQuery,
      response: { 200: Type.Object({ templates: Type.Array(TemplateResponse), placeholders: Type.Record(Type.String(), Type.String()) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    requireRole(request, 'organizer');
    const event = eventRef(request.query);
    await eventTitle(db, event);
    const templates = [];
    for (const award of AWARD_KINDS) templates.push({ award, awardLabel: awardLabel(award), ...(await templateFor(db, event, award)) });
    return { templates, placeholders: { ...PLACEHOLDERS } };
  });

  app.put('/api/certificate-templates/:award', {
    schema: {
      tags, summary: 'Изменить шаблон награды (для организатора)',
      params: Type.Object({ award: AwardSchema }), querystring: EventQuery, body: TemplateBody,
      response: { 200: TemplateResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const user = requireRole(request, 'organizer');
    const event = eventRef(request.query);
    await eventTitle(db, event);
    const award = request.params.award as AwardKind;
    const body = request.body;
    const fields: Record<string, string> = {};
    for (const name of ['title', 'subtitle', 'lead', 'body'] as const) {
      const unknown = unknownPlaceholders(body[name]);
      if (unknown.length) fields[name] = `Неизвестная подстановка {${unknown[0]}}. Доступны: ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')}.`;
    }
    if (Object.keys(fields).length) throw new AppError(400, 'validation', `Проверьте шаблон. ${Object.values(fields)[0]}`, fields);
    const values = {
      title: body.title.trim(), subtitle: body.subtitle.trim(), lead: body.lead.trim(), body: body.body.trim(), orientation: body.orientation,
      place: body.place.trim(), signatories: JSON.stringify(body.signatories.map((s) => ({ position: s.position.trim(), name: s.name.trim() }))),
    };
    await db.transaction().execute(async (trx) => {
      const before = await templateFor(trx, event, award);
      const column = event.contestId ? 'contest_id' : 'olympiad_id';
      const id = (event.contestId ?? event.olympiadId)!;
      const updated = await trx.updateTable('certificate_templates').set({ ...values, updated_at: new Date() }).where(column, '=', id).where('award', '=', award).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await trx.insertInto('certificate_templates').values({ ...values, award, contest_id: event.contestId ?? null, olympiad_id: event.olympiadId ?? null }).execute();
      }
      await recordAudit(trx, { actorId: user.id, action: 'certificate_template.update', entity: 'certificate_template', entityId: `${id}:${award}`, before, after: { ...body }, ip: request.ip });
    });
    return { award, awardLabel: awardLabel(award), ...(await templateFor(db, event, award)) };
  });

  app.get('/api/certificate-templates/:award/preview.pdf', {
    schema: {
      tags, summary: 'Образец документа по шаблону (для организатора)',
      params: Type.Object({ award: AwardSchema }), querystring: EventQuery,
      response: { 200: PdfResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    requireRole(request, 'organizer');
    const event = eventRef(request.query);
    const title = await eventTitle(db, event);
    const t = await templateFor(db, event, request.params.award as AwardKind);
    const images = await eventImageIds(db, event);
    const date = moscowDate(new Date());
    const values = { 'ФИО': 'Константинопольская-Щедрина Анастасия Владимировна', 'конкурс': title, 'номинация': 'Номинация', 'место': '1', 'дата': date };
    const doc = createCertificateDocument();
    reply.header('content-type', 'application/pdf').header('content-disposition', 'inline; filename="preview.pdf"');
    void renderCertificates([{
      title: fillPlaceholders(t.title, values), subtitle: fillPlaceholders(t.subtitle, values), lead: fillPlaceholders(t.lead, values),
      recipientName: values['ФИО'], body: fillPlaceholders(t.body, values), date, place: t.place, signatories: t.signatories,
      registryNumber: 'ОБРАЗЕЦ', code: 'XXXX-XXXX-XXXX-XXXX', verifyUrl: `${publicUrl}/verify`, orientation: t.orientation,
      logoFileId: images.logo, signatureFileId: images.signature,
    }], doc, loadImage).catch((error) => doc.destroy(error as Error));
    return reply.send(doc);
  });
};
