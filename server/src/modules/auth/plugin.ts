import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Role } from '@konkurs/db';
import { forbidden, unauthorized } from '../../http/errors.ts';
import {
  SESSION_COOKIE,
  SESSION_LIFETIME_MS,
  validateSessionToken,
  type SessionUser,
  type ValidSession,
} from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: ValidSession | null;
  }
  interface FastifyContextConfig {
    /** The route checks the session token itself (e.g. inside a grouped statement), so the hook does not look it up. */
    sessionCheckedByRoute?: boolean;
  }
}

export interface CookieSettings {
  secure: boolean;
}

export function setSessionCookie(reply: FastifyReply, token: string, settings: CookieSettings): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secure,
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, settings: CookieSettings): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: settings.secure });
}

/** Who is asking: every API request learns it from the session cookie. */
export const authPlugin = fp<{ db: Db; cookie: CookieSettings }>(async (app, { db, cookie }) => {
  app.decorateRequest('session', null);
  // A callback hook: a request that needs no lookup costs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !request.url.startsWith('/api/') || request.routeOptions.config?.sessionCheckedByRoute) return done();
    validateSessionToken(db, token).then((session) => {
      request.session = session;
      if (!session) clearSessionCookie(reply, cookie);
      else if (session.extended) setSessionCookie(reply, token, cookie);
      done();
    }, done);
  });
});

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.session) throw unauthorized();
  return request.session.user;
}

export function requireRole(request: FastifyRequest, ...roles: Role[]): SessionUser {
  const user = requireUser(request);
  if (!roles.some((r) => user.roles.includes(r))) throw forbidden();
  return user;
}
