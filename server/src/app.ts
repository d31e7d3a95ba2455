import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { trustedProxies, type Config } from './config.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerInputHygiene } from './http/input-hygiene.ts';
import { registerSecurity } from './http/security.ts';
import { registerSessionGate, swaggerOptions } from './http/openapi.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authPlugin } from './modules/auth/plugin.ts';
import { accountRoutes } from './modules/auth/account-routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { UserSchema } from './modules/auth/schemas.ts';
import { certificateRoutes } from './modules/certificates/routes.ts';
import { eventRoutes } from './modules/events/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { olympiadPlugin } from './modules/olympiad/plugin.ts';
import { userRoutes } from './modules/users/routes.ts';
import { applicationRoutes } from './modules/applications/routes.ts';
import { contestRoutes } from './modules/contests/routes.ts';
import { fileRoutes } from './modules/files/routes.ts';
import { jurorRoutes } from './modules/jury/sheets/juror-routes.ts';
import { configuredStorage, type FileStorage } from './modules/files/storage.ts';
import { withCleanCopies } from './modules/files/clean-copy.ts';
import { registerMailer } from './modules/mail/mailer.ts';
import { smtpTransport, type MailingRouteOptions, type MailTransport } from './modules/mail/outbox.ts';
import { mailRoutes } from './modules/mail/routes.ts';
import { jurySetupRoutes } from './modules/jury/members/setup-routes.ts';
import { juryResultRoutes } from './modules/jury/results/results-routes.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  /** Fastify's logger option; by default pino at LOG_LEVEL. */
  logger?: FastifyServerOptions['logger'];
  /** Where uploads go; by default as the settings say (the local disk under DATA_DIR/files, or S3_BUCKET). */
  storage?: FileStorage;
  /**
   * The server's one clock (tests move it to try deadlines). The rule (README, «One clock»): a time that decides
   * something or is shown as when something was done (phases, deadlines, dates printed on certificates, graded_at,
   * set_at, revoked_at) comes from this `now`, read once by the route and passed down; a service never calls
   * `new Date()`. Stamps kept only as a record (created_at, updated_at, audit, mail delivery) are the database's now();
   * so are the olympiad's attempt deadlines and appeal window, compared in SQL (olympiad/attempts/attempt-service.ts).
   */
  now?: () => Date;
  /** How mail is sent; by default SMTP at SMTP_URL, and none (outbox only) when it is unset. */
  mailTransport?: MailTransport;
}

/** No uploaded file is ever larger than this, whatever a form allows. */
export const UPLOAD_HARD_LIMIT_BYTES = 50 * 1024 * 1024;

/** Request logs must never hold a password, a token or a cookie: bodies are not logged, and these are cut. */
export const LOG_REDACT = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'];

/** The whole API as a Fastify instance that does not listen yet (tests use app.inject). */
export async function buildApp({ db, config, logger, storage, now = () => new Date(), mailTransport }: AppDeps) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, redact: LOG_REDACT },
    trustProxy: trustedProxies(config.trustProxy),
    // All errors at once, with the failing schema, so that every field gets its own Russian message.
    ajv: { customOptions: { allErrors: true, verbose: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(cookie);
  // Uploads are streamed (request.file() / request.parts()); these are the global hard limits,
  // each route checks its own, smaller ones.
  await app.register(multipart, {
    limits: { fileSize: UPLOAD_HARD_LIMIT_BYTES, files: 20, fields: 100, fieldSize: 100_000 },
  });
  await registerSecurity(app, config.publicUrl);
  registerErrorHandling(app);
  registerInputHygiene(app);
  app.addSchema(UserSchema);

  await app.register(swagger, swaggerOptions(config.publicUrl));
  registerSessionGate(app);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const cookieSettings = { secure: config.sessionSecure };
  await app.register(authPlugin, { db, cookie: cookieSettings });
  await app.register(healthRoutes, { db });
  // A file's clean copy for a blind jury (files/clean-copy.ts) goes when the file goes.
  const files = withCleanCopies(storage ?? configuredStorage(config));
  const send = mailTransport ?? (config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : undefined);
  registerMailer(app, db, send);
  const mailing: MailingRouteOptions = { db, now, deliverMail: !!send, publicUrl: config.publicUrl };
  await app.register(authRoutes, { ...mailing, cookie: cookieSettings });
  await app.register(accountRoutes, { ...mailing, cookie: cookieSettings });
  await app.register(userRoutes, { db });
  await app.register(auditRoutes, { db });
  await app.register(eventRoutes, { db, now });
  await app.register(contestRoutes, { db, storage: files, now });
  await app.register(applicationRoutes, { ...mailing, storage: files });
  await app.register(fileRoutes, { db, storage: files });
  await app.register(jurorRoutes, { ...mailing, storage: files });
  await app.register(mailRoutes, { db });
  await app.register(jurySetupRoutes, mailing);
  await app.register(juryResultRoutes, mailing);
  await app.register(olympiadPlugin, {
    db,
    cookie: cookieSettings,
    mail: { deliver: !!send, publicUrl: config.publicUrl },
    now,
  });
  await app.register(certificateRoutes, {
    db,
    publicUrl: config.publicUrl,
    storage: files,
    mail: { deliver: !!send, publicUrl: config.publicUrl },
    now,
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
