import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { AppError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing API request that a browser sent from another site.
 * Browsers always send Origin (or at least Sec-Fetch-Site) with such requests; a request with neither
 * comes from a program, not from a victim's browser, so it cannot carry a forged session (the approach of
 * Go's CrossOriginProtection). The built-in web app calls the API from the server and sends no Origin.
 */
export function isCrossSiteRequest(request: FastifyRequest, publicOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    return origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  return false;
}

export async function registerSecurity(app: FastifyInstance, publicUrl: string): Promise<void> {
  const https = publicUrl.startsWith('https:');
  // The pages set their own Content-Security-Policy (SvelteKit's kit.csp, with hashes for its inline scripts);
  // the API's JSON needs none. The middleware is built once: @fastify/helmet built it anew for every request, a
  // twentieth of the server's time under the autosave load.
  const securityHeaders = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: https,
    crossOriginEmbedderPolicy: false,
    // Not 'no-referrer': under it browsers send `Origin: null` with form POSTs, and SvelteKit's own CSRF check refuses them.
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );

  const publicOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/api/') && isCrossSiteRequest(request, publicOrigin)) {
      throw new AppError(
        'cross_origin',
        'Запрос отклонён: он отправлен с другого сайта. Откройте страницу Konkurs и повторите действие.',
      );
    }
    done();
  });
}
