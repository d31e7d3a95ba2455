import { isUniqueViolation } from '@konkurs/db';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import { AppError, errorResponses, trimBody } from '../../http/errors.ts';
import type { MailingRouteOptions } from '../mail/outbox.ts';
import { createApplicant, emailRegistered, userForSignIn } from './accounts.ts';
import { REGISTRATION_CONSENT } from './consent.ts';
import { passwordProblem } from './password-policy.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { clearSessionCookie, setSessionCookie, type CookieSettings } from './plugin.ts';
import { toUserDto } from './present.ts';
import { ConsentText, LoginBody, MeResponse, RegisterBody } from './schemas.ts';
import { createSession, invalidateSession } from './sessions.ts';
import {
  enforce,
  isKnownAddress,
  passwordLimits,
  recordHit,
  recordSignInSuccess,
  registrationLimits,
  tooMany,
} from './throttle.ts';

const tags = ['Учётные записи'];

export const authRoutes: FastifyPluginAsyncTypebox<MailingRouteOptions & { cookie: CookieSettings }> = async (
  app,
  options,
) => {
  const { db, cookie } = options;
  app.get(
    '/api/auth/consent-text',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Текст согласия на обработку персональных данных',
        response: { 200: ConsentText },
      },
    },
    async () => REGISTRATION_CONSENT,
  );

  app.get(
    '/api/auth/me',
    {
      schema: { security: PUBLIC, tags, summary: 'Кто вошёл в систему', response: { 200: MeResponse } },
    },
    async (request) => ({ user: request.session ? toUserDto(request.session.user) : null }),
  );

  app.post(
    '/api/auth/register',
    {
      preValidation: trimBody('email', 'lastName', 'firstName', 'middleName'),
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Регистрация',
        body: RegisterBody,
        response: { 201: MeResponse, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const limits = registrationLimits(request.ip);
      await enforce(db, limits, (seconds) =>
        tooMany(
          'too_many_registrations',
          (wait) => `С этого адреса зарегистрировано слишком много учётных записей подряд. Повторите через ${wait}.`,
          seconds,
        ),
      );
      const lastName = body.lastName.trim();
      const firstName = body.firstName.trim();
      const middleName = body.middleName?.trim() || null;
      const email = body.email.trim().toLowerCase();
      const fields: Record<string, string> = {};
      if (!lastName) fields.lastName = 'Заполните поле «Фамилия».';
      if (!firstName) fields.firstName = 'Заполните поле «Имя».';
      if (body.consentVersion !== REGISTRATION_CONSENT.version) {
        fields.consent =
          'Текст согласия на обработку персональных данных обновился. Обновите страницу, прочитайте его и подтвердите снова.';
      }
      const weak = passwordProblem(body.password, { email });
      if (weak) fields.password = weak;
      if (Object.keys(fields).length)
        throw new AppError('validation', `Проверьте введённые данные. ${Object.values(fields)[0]}`, fields);

      const emailTaken = () =>
        new AppError(
          'email_taken',
          'Этот адрес электронной почты уже зарегистрирован. Войдите или укажите другой адрес.',
          {
            email: 'Этот адрес уже зарегистрирован.',
          },
        );
      // Counted whether the address is taken or not: both answers are what a bulk registration (or a probe) is after.
      await recordHit(db, limits);
      if (await emailRegistered(db, email)) throw emailTaken();

      let created;
      try {
        created = await createApplicant(
          { db, now: options.now(), deliverMail: options.deliverMail, publicUrl: options.publicUrl, ip: request.ip },
          { email, lastName, firstName, middleName, password: body.password },
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
      setSessionCookie(reply, created.session.token, cookie);
      const u = created.user;
      reply.status(201);
      return {
        user: toUserDto({
          id: u.id,
          email: u.email,
          lastName: u.last_name,
          firstName: u.first_name,
          middleName: u.middle_name,
          roles: u.roles,
          emailVerified: false,
        }),
      };
    },
  );

  app.post(
    '/api/auth/login',
    {
      preValidation: trimBody('email'),
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Вход по электронной почте и паролю',
        body: LoginBody,
        response: { 200: MeResponse, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim().toLowerCase();
      // Others' failures slow down an account only for addresses it has not signed in from (see throttle.ts).
      const knownAddress = await isKnownAddress(db, email, request.ip);
      await enforce(db, passwordLimits(email, request.ip, { knownAddress }), (seconds) =>
        tooMany(
          'too_many_attempts',
          (wait) => `Слишком много неудачных попыток входа. Подождите ${wait} и попробуйте снова.`,
          seconds,
        ),
      );
      const user = await userForSignIn(db, email);
      const ok = user?.password_hash
        ? await verifyPassword(user.password_hash, request.body.password)
        : (await verifyAgainstDummy(request.body.password), false);
      if (!user || !ok) {
        await recordHit(db, passwordLimits(email, request.ip, { knownAddress: false }));
        throw new AppError('invalid_credentials', 'Неверный адрес электронной почты или пароль.', {
          password: 'Неверный адрес электронной почты или пароль.',
        });
      }
      await recordSignInSuccess(db, email, request.ip);
      const session = await createSession(db, user.id);
      setSessionCookie(reply, session.token, cookie);
      return {
        user: toUserDto({
          id: user.id,
          email: user.email,
          lastName: user.last_name,
          firstName: user.first_name,
          middleName: user.middle_name,
          roles: user.roles,
          emailVerified: user.email_verified_at !== null,
        }),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Выход',
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      if (request.session) await invalidateSession(db, request.session.id);
      clearSessionCookie(reply, cookie);
      return { ok: true };
    },
  );
};
