import { resolve } from 'node:path';
import type { S3Settings } from './modules/files/s3-storage.ts';

export interface Config {
  port: number;
  host: string;
  /** Unset: the embedded PostgreSQL under DATA_DIR/db. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The address people use; links, QR codes and the same-origin check rely on it. */
  publicUrl: string;
  /** Session cookie gets the Secure flag; defaults to true when PUBLIC_URL is https. */
  sessionSecure: boolean;
  smtpUrl: string | undefined;
  /** The From of every letter, e.g. `Konkurs <noreply@konkurs.example.ru>`. */
  mailFrom: string;
  /** Load the demo content on start; defaults to on for the embedded database only. */
  demoData: boolean;
  /** Which proxies' X-Forwarded-For to believe (Fastify's trustProxy); the built-in web app calls from loopback. */
  trustProxy: string;
  logLevel: string;
  /** Serve the built pages from this process (off under `pnpm dev`, where Vite serves them). */
  servePages: boolean;
  /** Uploaded files in an S3-compatible bucket (S3_BUCKET set) instead of DATA_DIR/files. */
  s3: S3Settings | undefined;
}

/**
 * Fastify's trustProxy from TRUST_PROXY, always with loopback: the pages' server code (web.ts, api.ts) calls the API
 * of this process over loopback and sends the client's address as X-Forwarded-For, which must be believed even when
 * the proxies in front are elsewhere (e.g. TRUST_PROXY=10.0.0.0/8 behind a load balancer).
 */
export function trustedProxies(trustProxy: string): string {
  const list = trustProxy
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.includes('loopback') ? list.join(',') : ['loopback', ...list].join(',');
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute URL, got "${env.PUBLIC_URL}"`);
  }
  const mailFrom = env.MAIL_FROM?.trim() || `Konkurs <noreply@${new URL(publicUrl).hostname}>`;
  // One address, bare or with a name before it in angle brackets.
  if (!/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(mailFrom)) {
    throw new Error(`MAIL_FROM must be an address such as "Konkurs <noreply@example.ru>", got "${env.MAIL_FROM}"`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env.DATA_DIR || './data'),
    publicUrl,
    sessionSecure: flag(env.SESSION_SECURE, publicUrl.startsWith('https:')),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom,
    demoData: flag(env.DEMO_DATA, databaseUrl === undefined),
    trustProxy: env.TRUST_PROXY || 'loopback',
    logLevel: env.LOG_LEVEL || 'info',
    servePages: flag(env.SERVE_PAGES, true),
    s3: env.S3_BUCKET
      ? {
          bucket: env.S3_BUCKET,
          endpoint: env.S3_ENDPOINT || undefined,
          region: env.S3_REGION || 'us-east-1',
          accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
          forcePathStyle: flag(env.S3_FORCE_PATH_STYLE, !!env.S3_ENDPOINT),
          prefix: env.S3_PREFIX ?? '',
        }
      : undefined,
  };
}
