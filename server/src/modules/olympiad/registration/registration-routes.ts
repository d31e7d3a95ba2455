import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../../http/openapi.ts';
import type { Db } from '@konkurs/db';
import { errorResponses, trimBody } from '../../../http/errors.ts';
import { requireRole, setSessionCookie, type CookieSettings } from '../../auth/plugin.ts';
import { toUserDto } from '../../auth/present.ts';
import { createSession } from '../../auth/sessions.ts';
import { enforce, selfRegistrationLimits, tooMany } from '../../auth/throttle.ts';
import {
  RegistrationInfo,
  RegistrationSettingsBody,
  SelfRegistrationBody,
  SelfRegistrationResult,
} from './registration-schemas.ts';
import { registrationInfo, selfRegister, setRegistrationSettings } from './registration-service.ts';
import { OlympiadParams } from '../schemas.ts';

const tags = ['Олимпиада: участники'];

export const olympiadRegistrationRoutes: FastifyPluginAsyncTypebox<{ db: Db; cookie: CookieSettings }> = async (
  app,
  { db, cookie },
) => {
  app.get(
    '/api/olympiads/:olympiadId/registration',
    {
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Самостоятельная регистрация: открыта ли, список школ, текст согласия (для всех)',
        params: OlympiadParams,
        response: { 200: RegistrationInfo, ...errorResponses(400, 404) },
      },
    },
    async (request) => registrationInfo(db, request.params.olympiadId),
  );

  app.put(
    '/api/olympiads/:olympiadId/registration',
    {
      schema: {
        tags,
        summary: 'Включить или выключить самостоятельную регистрацию, список школ',
        params: OlympiadParams,
        body: RegistrationSettingsBody,
        response: { 200: RegistrationInfo, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireRole(request, 'organizer');
      await setRegistrationSettings(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
      return registrationInfo(db, request.params.olympiadId);
    },
  );

  app.post(
    '/api/olympiads/:olympiadId/register',
    {
      preValidation: trimBody('lastName', 'firstName', 'middleName', 'school', 'className', 'guardianName'),
      schema: {
        security: PUBLIC,
        tags,
        summary: 'Зарегистрироваться на олимпиаду самостоятельно (с согласия родителя)',
        params: OlympiadParams,
        body: SelfRegistrationBody,
        response: { 201: SelfRegistrationResult, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      // A public form that creates accounts: limited per address (throttle.ts); selfRegister counts what it accepts.
      const limits = selfRegistrationLimits(request.ip);
      await enforce(db, limits, (seconds) =>
        tooMany(
          'too_many_registrations',
          (wait) => `С этого адреса зарегистрировано слишком много участников подряд. Повторите через ${wait}.`,
          seconds,
        ),
      );
      const { user, accessCode } = await selfRegister(db, request.params.olympiadId, request.body, request.ip, limits);
      const session = await createSession(db, user.id);
      setSessionCookie(reply, session.token, cookie);
      reply.status(201);
      return {
        user: toUserDto({
          id: user.id,
          email: user.email,
          lastName: user.last_name,
          firstName: user.first_name,
          middleName: user.middle_name,
          roles: user.roles,
        }),
        olympiadId: request.params.olympiadId,
        accessCode,
      };
    },
  );
};
