import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../../http/openapi.ts';
import type { MailingRouteOptions } from '../../mail/outbox.ts';
import { errorResponses, trimBody } from '../../../http/errors.ts';
import { requireRole, requireUser } from '../../auth/plugin.ts';
import { assignManually, assignmentMatrix, autoAssign, unassign } from '../assignment/assignment-service.ts';
import {
  acceptInvitation,
  addJuryMember,
  cancelInvitation,
  listJury,
  removeJuryMember,
  setChair,
  setMemberMunicipality,
  viewInvitation,
} from './members-service.ts';
import { juryPreview } from '../sheets/entry-view.ts';
import { JuryPreview } from '../sheets/juror-schemas.ts';
import { addRubricVersion, listRubrics } from '../rubrics/rubric-service.ts';
import { getJurySettings, saveJurySettings } from './settings-service.ts';
import {
  Accepted,
  AddMemberBody,
  AddMemberResult,
  AssignBody,
  AssignmentParams,
  AssignResult,
  AutoAssignResult,
  ChairBody,
  ContestParams,
  Done,
  InvitationParams,
  InvitationView,
  JuryResponse,
  JurySettings,
  JurySettingsResponse,
  MatrixResponse,
  MemberMunicipalityBody,
  MemberParams,
  PreviewParams,
  RubricBody,
  RubricSaved,
  RubricsResponse,
  TokenParams,
} from './setup-schemas.ts';

const tags = ['Жюри: подготовка'];

/** The organizer's side of the jury: settings, rubrics, members and invitations, assignments (issue #4, items 1–2). */
export const jurySetupRoutes: FastifyPluginAsyncTypebox<MailingRouteOptions> = async (app, opts) => {
  const { db, now } = opts;
  const organizer = (request: Parameters<typeof requireRole>[0]) => {
    const user = requireRole(request, 'organizer');
    return { id: user.id, ip: request.ip };
  };

  app.get(
    '/api/contests/:id/jury/settings',
    {
      schema: {
        tags,
        summary: 'Настройки жюри конкурса',
        params: ContestParams,
        response: { 200: JurySettingsResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      organizer(request);
      return getJurySettings(db, request.params.id);
    },
  );

  app.get(
    '/api/contests/:id/jury/preview/:applicationId',
    {
      schema: {
        tags,
        summary: '«Как видит жюри»: заявка так, как её покажут члену жюри, и какие поля формы видны и скрыты',
        params: PreviewParams,
        response: { 200: JuryPreview, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      organizer(request);
      return juryPreview(db, request.params.id, request.params.applicationId);
    },
  );

  app.put(
    '/api/contests/:id/jury/settings',
    {
      schema: {
        tags,
        summary:
          'Сохранить настройки жюри (после публикации итогов способ подсчёта, места и критерии для равных баллов не меняются)',
        params: ContestParams,
        body: JurySettings,
        response: { 200: JurySettingsResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await saveJurySettings(db, request.params.id, request.body, organizer(request));
      return getJurySettings(db, request.params.id);
    },
  );

  app.get(
    '/api/contests/:id/rubrics',
    {
      schema: {
        tags,
        summary: 'Критерии оценки: текущие версии (общие и номинаций)',
        params: ContestParams,
        response: { 200: RubricsResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      organizer(request);
      return listRubrics(db, request.params.id);
    },
  );

  app.put(
    '/api/contests/:id/rubrics',
    {
      schema: {
        tags,
        summary: 'Сохранить критерии оценки (новая версия; отказ, если текущие уже используются в оценках)',
        params: ContestParams,
        body: RubricBody,
        response: { 200: RubricSaved, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      return addRubricVersion(db, request.params.id, request.body, organizer(request));
    },
  );

  app.get(
    '/api/contests/:id/jury',
    {
      schema: {
        tags,
        summary: 'Состав жюри и приглашения',
        params: ContestParams,
        response: { 200: JuryResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      organizer(request);
      return listJury(db, request.params.id, now());
    },
  );

  app.post(
    '/api/contests/:id/jury/members',
    {
      preValidation: trimBody('email', 'municipality'),
      schema: {
        tags,
        summary: 'Добавить в жюри по e-mail (нет аккаунта — отправить приглашение)',
        params: ContestParams,
        body: AddMemberBody,
        response: { 201: AddMemberResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = organizer(request);
      const result = await addJuryMember(
        { db, now: now(), deliverMail: opts.deliverMail, publicUrl: opts.publicUrl },
        request.params.id,
        request.body,
        actor,
      );
      reply.status(201);
      return result;
    },
  );

  app.delete(
    '/api/contests/:id/jury/members/:userId',
    {
      schema: {
        tags,
        summary: 'Исключить из жюри (с назначениями и черновиками; нельзя после отправленной оценки)',
        params: MemberParams,
        response: { 200: Done, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await removeJuryMember(db, request.params.id, request.params.userId, organizer(request));
      return { message: 'Член жюри исключён.' };
    },
  );

  app.put(
    '/api/contests/:id/jury/members/:userId/municipality',
    {
      preValidation: trimBody('municipality'),
      schema: {
        tags,
        summary: 'Исправить муниципалитет члена жюри (для правила «не из своего муниципалитета»)',
        params: MemberParams,
        body: MemberMunicipalityBody,
        response: { 200: Done, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await setMemberMunicipality(
        db,
        request.params.id,
        request.params.userId,
        request.body.municipality,
        organizer(request),
      );
      return {
        message: request.body.municipality ? 'Муниципалитет члена жюри сохранён.' : 'Муниципалитет члена жюри убран.',
      };
    },
  );

  app.put(
    '/api/contests/:id/jury/chair',
    {
      schema: {
        tags,
        summary: 'Назначить председателя жюри (или снять)',
        params: ContestParams,
        body: ChairBody,
        response: { 200: Done, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await setChair(db, request.params.id, request.body.userId, organizer(request));
      return { message: request.body.userId ? 'Председатель жюри назначен.' : 'Председатель жюри снят.' };
    },
  );

  app.delete(
    '/api/contests/:id/jury/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Отозвать приглашение',
        params: InvitationParams,
        response: { 200: Done, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await cancelInvitation(db, request.params.id, request.params.invitationId, organizer(request));
      return { message: 'Приглашение отозвано.' };
    },
  );

  app.get(
    '/api/jury/invitations/:token',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Приглашение в жюри по ссылке из письма',
        params: TokenParams,
        response: { 200: InvitationView, ...errorResponses(400, 404, 409, 410) },
      },
    },
    async (request) => viewInvitation(db, request.params.token, now(), request.session?.user ?? null),
  );

  app.post(
    '/api/jury/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Принять приглашение в жюри (вошедший пользователь с приглашённым и подтверждённым адресом)',
        params: TokenParams,
        response: { 200: Accepted, ...errorResponses(400, 401, 403, 404, 409, 410) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return acceptInvitation(db, request.params.token, user, now(), request.ip);
    },
  );

  app.get(
    '/api/contests/:id/assignments',
    {
      schema: {
        tags,
        summary: 'Назначения: заявки × члены жюри',
        params: ContestParams,
        response: { 200: MatrixResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      organizer(request);
      return assignmentMatrix(db, request.params.id);
    },
  );

  app.post(
    '/api/contests/:id/assignments/auto',
    {
      schema: {
        tags,
        summary: 'Распределить заявки между членами жюри автоматически',
        params: ContestParams,
        response: { 200: AutoAssignResult, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => autoAssign(db, request.params.id, organizer(request)),
  );

  app.post(
    '/api/contests/:id/assignments',
    {
      schema: {
        tags,
        summary: 'Назначить члена жюри на заявку вручную',
        params: ContestParams,
        body: AssignBody,
        response: { 201: AssignResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await assignManually(
        db,
        request.params.id,
        request.body.applicationId,
        request.body.jurorId,
        organizer(request),
      );
      reply.status(201);
      return result;
    },
  );

  app.delete(
    '/api/contests/:id/assignments/:applicationId/:jurorId',
    {
      schema: {
        tags,
        summary: 'Снять назначение (черновик оценки удаляется; нельзя после отправки)',
        params: AssignmentParams,
        response: { 200: Done, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await unassign(db, request.params.id, request.params.applicationId, request.params.jurorId, organizer(request));
      return { message: 'Назначение снято.' };
    },
  );
};
