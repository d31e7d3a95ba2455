import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import { issueFromResults, issuingState, replaceCertificate, setNameForms } from './issue.ts';
import { getOrganisation, saveOrganisation } from './organisation.ts';
import {
  CertificateSummary,
  EventQuery,
  IssueQuery,
  IssueResult,
  IssuingStateSchema,
  NameFormsBody,
  OrganisationSchema,
} from './schemas.ts';
import { eventRef, findCertificate, type CertificateMail } from './service.ts';
import { summary } from './summary.ts';

const tags = ['Наградные документы'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Конкурс' }) });

/**
 * Issuing what the published results call for and bringing issued documents into line when the results change
 * (certificates/issue.ts), for contests and olympiads alike; replacing a document; the organisation's details.
 */
export const certificateIssueRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  mail: CertificateMail;
  now: () => Date;
}> = async (app, { db, mail, now }) => {
  const issue = async (
    event: { contestId: string } | { olympiadId: string },
    plan: string | undefined,
    actor: { id: string; ip: string },
  ) => {
    const awards = await issueFromResults(db, event, actor, { now: now(), expectedPlan: plan, mail });
    const sum = (k: 'issued' | 'alreadyIssued' | 'revoked') => awards.reduce((s, a) => s + a[k], 0);
    return { awards, issued: sum('issued'), alreadyIssued: sum('alreadyIssued'), revoked: sum('revoked') };
  };
  const issueSummary =
    'по опубликованным итогам: выдать недостающие и отозвать не положенные больше («итоги изменены»), одним действием (для организатора)';

  app.post(
    '/api/contests/:id/certificates/issue',
    {
      schema: {
        tags,
        summary: `Наградные документы конкурса ${issueSummary}`,
        params: IdParams,
        querystring: IssueQuery,
        response: { 200: IssueResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      return issue({ contestId: request.params.id }, request.query.plan, { id: user.id, ip: request.ip });
    },
  );

  // The olympiad routes name their parameter olympiadId: one name per position in the router's tree.
  app.post(
    '/api/olympiads/:olympiadId/certificates/issue',
    {
      schema: {
        tags,
        summary: `Наградные документы олимпиады ${issueSummary}`,
        params: Type.Object({ olympiadId: Type.String({ format: 'uuid', title: 'Олимпиада' }) }),
        querystring: IssueQuery,
        response: { 200: IssueResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      return issue({ olympiadId: request.params.olympiadId }, request.query.plan, { id: user.id, ip: request.ip });
    },
  );

  app.get(
    '/api/certificates/issuing',
    {
      schema: {
        tags,
        summary:
          'Что положено по текущим итогам и что выдано: по каждой награде и каждому человеку — кому выдать, что отозвать (для организатора)',
        querystring: EventQuery,
        response: { 200: IssuingStateSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return issuingState(db, eventRef(request.query));
    },
  );

  app.put(
    '/api/certificates/name-forms',
    {
      schema: {
        tags,
        summary: 'Исправить склонение ФИО одного получателя перед выдачей (для организатора)',
        querystring: EventQuery,
        body: NameFormsBody,
        response: { 200: IssuingStateSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const event = eventRef(request.query);
      await setNameForms(db, event, request.body.recipientKey, request.body.forms, { id: user.id, ip: request.ip });
      return issuingState(db, event);
    },
  );

  app.post(
    '/api/certificates/:id/replace',
    {
      schema: {
        tags,
        summary:
          'Выдать новый документ (новый номер и код) взамен отозванного или взамен действующего с причиной (для организатора)',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Документ' }) }),
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500, title: 'Причина замены' })) }),
        response: { 200: CertificateSummary, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const id = await replaceCertificate(
        db,
        request.params.id,
        { reason: request.body.reason },
        { id: user.id, ip: request.ip },
        mail,
        now(),
      );
      return summary((await findCertificate(db, id))!);
    },
  );

  app.get(
    '/api/certificate-organisation',
    {
      schema: {
        tags,
        summary: 'Реквизиты организации для наградных документов (для организатора)',
        response: { 200: OrganisationSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      return getOrganisation(db);
    },
  );

  app.put(
    '/api/certificate-organisation',
    {
      schema: {
        tags,
        summary:
          'Изменить реквизиты организации: название, город, подписанты — их печатают шаблоны по умолчанию (для организатора)',
        body: OrganisationSchema,
        response: { 200: OrganisationSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      return saveOrganisation(db, request.body, { id: user.id, ip: request.ip });
    },
  );
};
