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
  const { handler } = (await import(pathToFileURL(join(options.buildDir, 'handler.js')).href)) as { handler: NodeHandler };
  await app.register(middie);
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.url === '/api' || req.url?.startsWith('/api/')) return next();
    handler(req, res, next);
  });
}
