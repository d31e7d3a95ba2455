import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { AppError, errorResponses, trimBody } from '../../../http/errors.ts';
import { setSessionCookie, type CookieSettings } from '../../auth/plugin.ts';
import { toUserDto } from '../../auth/present.ts';
import { UserSchema } from '../../auth/schemas.ts';
import { createSession } from '../../auth/sessions.ts';
import { accessCodeLimits, enforce, recordHit, tooMany } from '../../auth/throttle.ts';
import { normalizeAccessCode } from './access-codes.ts';
import { participantByAccessCode } from '../participants/participant-service.ts';
import { AccessCodeBody } from '../schemas.ts';

export const AccessCodeResponse = Type.Object({ user: Type.Ref(UserSchema), olympiadId: Type.String() });

/** A student signs in with the personal access code from the slip: a session like any other (modules/auth). */
export const olympiadAccessRoutes: FastifyPluginAsyncTypebox<{ db: Db; cookie: CookieSettings }> = async (
  app,
  { db, cookie },
) => {
  app.post(
    '/api/auth/access-code',
    {
      preValidation: trimBody('code'),
      schema: {
        security: PUBLIC,
        tags: ['Учётные записи'],
        summary: 'Вход участника олимпиады по коду доступа',
        body: AccessCodeBody,
        response: { 200: AccessCodeResponse, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const code = normalizeAccessCode(request.body.code);
      // Failures are counted per address (all codes) and per code typed; a class's typos stay far below the first.
      const limits = accessCodeLimits(code ?? request.body.code.toUpperCase(), request.ip);
      await enforce(db, limits, (seconds) =>
        tooMany(
          'too_many_attempts',
          (wait) => `Слишком много неверных кодов подряд. Попробуйте снова через ${wait}.`,
          seconds,
        ),
      );
      const found = code ? await participantByAccessCode(db, code) : undefined;
      if (!found) {
        await recordHit(db, limits);
        const message = code
          ? 'Код доступа не найден. Проверьте его по листку с кодом.'
          : 'Код доступа состоит из 10 латинских букв и цифр, например ABCDE-FGH23.';
        throw new AppError('invalid_access_code', message, { code: message });
      }
      const session = await createSession(db, found.id);
      setSessionCookie(reply, session.token, cookie);
      return {
        user: toUserDto({
          id: found.id,
          email: found.email,
          lastName: found.last_name,
          firstName: found.first_name,
          middleName: found.middle_name,
          roles: found.roles,
        }),
        olympiadId: found.olympiad_id,
      };
    },
  );
};
