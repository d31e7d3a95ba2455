import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import type { FastifyRequest } from 'fastify';
import { errorResponses, trimBody, unauthorized } from '../../http/errors.ts';
import type { MailingRouteOptions } from '../mail/outbox.ts';
import {
  changePassword,
  checkResetLink,
  confirmEmail,
  RESET_ANSWER_MS,
  RESET_REQUESTED,
  requestPasswordReset,
  resendEmailConfirmation,
  resetPassword,
  type AccountCtx,
} from './account-service.ts';
import { requireUser, setSessionCookie, type CookieSettings } from './plugin.ts';
import { toUserDto } from './present.ts';
import {
  AccountTokenParams,
  EmailConfirmed,
  MeResponse,
  MessageResponse,
  PasswordChangeBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  ResetLinkView,
} from './schemas.ts';

const tags = ['Учётные записи'];

/** «Забыли пароль?», «Сменить пароль» and the confirmation of an address. */
export const accountRoutes: FastifyPluginAsyncTypebox<MailingRouteOptions & { cookie: CookieSettings }> = async (
  app,
  options,
) => {
  const { db, cookie } = options;
  const ctx = (request: FastifyRequest): AccountCtx => ({
    db,
    now: options.now(),
    deliverMail: options.deliverMail,
    publicUrl: options.publicUrl,
    ip: request.ip,
  });

  app.post(
    '/api/auth/password-reset',
    {
      preValidation: trimBody('email'),
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Забыли пароль: письмо со ссылкой для нового пароля',
        description: 'Отвечает одинаково, есть ли учётная запись с этим адресом или нет.',
        body: PasswordResetRequestBody,
        response: { 200: MessageResponse, ...errorResponses(400, 403) },
      },
    },
    async (request) => {
      const started = performance.now();
      await requestPasswordReset(ctx(request), request.body.email.trim().toLowerCase());
      const left = RESET_ANSWER_MS - (performance.now() - started);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      return { message: RESET_REQUESTED };
    },
  );

  app.get(
    '/api/auth/password-reset/:token',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Действует ли ссылка для нового пароля',
        params: AccountTokenParams,
        response: { 200: ResetLinkView, ...errorResponses(400, 410) },
      },
    },
    async (request) => checkResetLink(db, request.params.token, options.now()),
  );

  app.post(
    '/api/auth/password-reset/:token',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Новый пароль по ссылке из письма',
        description: 'Задаёт пароль, завершает все остальные сеансы учётной записи и входит в неё.',
        params: AccountTokenParams,
        body: PasswordResetBody,
        response: { 200: MeResponse, ...errorResponses(400, 403, 410) },
      },
    },
    async (request, reply) => {
      const { user, session } = await resetPassword(ctx(request), request.params.token, request.body.password);
      setSessionCookie(reply, session.token, cookie);
      return { user: toUserDto(user) };
    },
  );

  app.put(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: 'Сменить пароль',
        description: 'Нужен текущий пароль; все остальные сеансы учётной записи завершаются.',
        body: PasswordChangeBody,
        response: { 200: MessageResponse, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      if (!request.session) throw unauthorized();
      await changePassword(
        ctx(request),
        user,
        request.session.id,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return { message: 'Пароль изменён. Вход на других устройствах завершён.' };
    },
  );

  app.post(
    '/api/auth/email-verification',
    {
      schema: {
        tags,
        summary: 'Отправить письмо для подтверждения адреса ещё раз',
        response: { 200: MessageResponse, ...errorResponses(401, 403, 409, 429) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { message } = await resendEmailConfirmation(ctx(request), user);
      return { message };
    },
  );

  app.post(
    '/api/auth/email-verification/:token',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Подтвердить адрес по ссылке из письма',
        params: AccountTokenParams,
        response: { 200: EmailConfirmed, ...errorResponses(400, 403, 410) },
      },
    },
    async (request) => confirmEmail(ctx(request), request.params.token),
  );
};
