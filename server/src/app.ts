import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import type { Config } from './config.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerSecurity } from './http/security.ts';
import { authPlugin } from './modules/auth/plugin.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { UserSchema } from './modules/auth/schemas.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { olympiadPlugin } from './modules/olympiad/plugin.ts';
import { userRoutes } from './modules/users/routes.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  /** Fastify's logger option; by default pino at LOG_LEVEL. */
  logger?: FastifyServerOptions['logger'];
}

/** No uploaded file is ever larger than this, whatever a form allows. */
export const UPLOAD_HARD_LIMIT_BYTES = 50 * 1024 * 1024;

/** Request logs must never hold a password, a token or a cookie: bodies are not logged, and these are cut. */
export const LOG_REDACT = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'];

/** The whole API as a Fastify instance that does not listen yet (tests use app.inject). */
export async function buildApp({ db, config, logger }: AppDeps) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, redact: LOG_REDACT },
    trustProxy: config.trustProxy,
    // All errors at once, with the failing schema, so that every field gets its own Russian message.
    ajv: { customOptions: { allErrors: true, verbose: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(cookie);
  // Uploads are streamed (request.file() / request.parts()); these are the global hard limits,
  // each route checks its own, smaller ones.
  await app.register(multipart, { limits: { fileSize: UPLOAD_HARD_LIMIT_BYTES, files: 20, fields: 100, fieldSize: 100_000 } });
  await registerSecurity(app, config.publicUrl);
  registerErrorHandling(app);
  app.addSchema(UserSchema);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Konkurs API', description: 'API платформы конкурсов и олимпиад Konkurs', version: '1.0.0' },
      servers: [{ url: config.publicUrl }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const cookieSettings = { secure: config.sessionSecure };
  await app.register(authPlugin, { db, cookie: cookieSettings });
  await app.register(healthRoutes, { db });
  await app.register(authRoutes, { db, cookie: cookieSettings });
  await app.register(userRoutes, { db });
  await app.register(eventRoutes, { db });
  await app.register(olympiadPlugin, { db, cookie: cookieSettings });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
