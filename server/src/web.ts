import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import middie from '@fastify/middie';
import type { FastifyInstance } from 'fastify';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface WebOptions {
  /** web/build of the SvelteKit app (adapter-node). */
  buildDir: string;
  publicUrl: string;
}

/**
 * The header that carries the client's address to the pages' server code. The handler runs inside Fastify, which has
 * already worked the address out of the connection and X-Forwarded-For under TRUST_PROXY (request.ip); adapter-node is
 * told to read it from here (ADDRESS_HEADER), and web/src/lib/server/api.ts passes it on to the API as X-Forwarded-For.
 * It is set on every request, so a value a client sends in it is never believed.
 */
export const CLIENT_ADDRESS_HEADER = 'x-konkurs-client-address';

export function webBuildExists(buildDir: string): boolean {
  return existsSync(join(buildDir, 'handler.js'));
}

/**
 * The pages' server code calls the API of this very process over HTTP at KONKURS_API_URL, read per call;
 * set it once the server listens (see main.ts).
 *
 * Serves the built SvelteKit app for every path outside /api, so that pages and API are one process on one port.
 * The handler sees the raw request before Fastify reads its body, so SvelteKit form POSTs arrive intact.
 */
export async function mountWeb(app: FastifyInstance, options: WebOptions): Promise<void> {
  // adapter-node reads these when its handler is first imported.
  process.env.ORIGIN = new URL(options.publicUrl).origin;
  process.env.BODY_SIZE_LIMIT ??= '1M';
  process.env.ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;
  const { handler } = (await import(pathToFileURL(join(options.buildDir, 'handler.js')).href)) as {
    handler: NodeHandler;
  };
  await app.register(middie);
  app.use((req: IncomingMessage & { ip?: string }, res: ServerResponse, next: () => void) => {
    if (req.url === '/api' || req.url?.startsWith('/api/')) return next();
    // middie copies Fastify's request.ip onto the raw request.
    req.headers[CLIENT_ADDRESS_HEADER] = req.ip ?? req.socket.remoteAddress ?? '';
    handler(req, res, next);
  });
}
