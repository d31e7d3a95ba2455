import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, DEMO_ACCESS_CODE, DEMO_ACCOUNTS, migrateToLatest, seedDemo } from '@konkurs/db';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { hashPassword } from './modules/auth/passwords.ts';
import { mountWeb, webBuildExists } from './web.ts';
import { configuredStorage } from './modules/files/storage.ts';
import { Readable } from 'node:stream';

// When each step of the start ended, in ms since the process began (logged once listening: where a start's time goes).
const phases: Record<string, number> = { modules: Math.round(performance.now()) };
const phase = (name: string) => (phases[name] = Math.round(performance.now()));

const config = readConfig();
const handle = createDb({ databaseUrl: config.databaseUrl, embeddedDir: join(config.dataDir, 'db') });
const applied = await migrateToLatest(handle.db);
phase('migrations');
const files = configuredStorage(config);
const app = await buildApp({ db: handle.db, config, storage: files });
phase('app');
app.log.info({ database: handle.kind, migrations: applied }, 'database ready');

const seeded = config.demoData
  ? await seedDemo(handle.db, { hashPassword, storeFile: (bytes) => files.put(Readable.from([bytes])) })
  : false;
phase('demo_data');

const buildDir = resolve(fileURLToPath(new URL('../../web/build', import.meta.url)));
const withPages = config.servePages && webBuildExists(buildDir);
if (withPages) await mountWeb(app, { buildDir, publicUrl: config.publicUrl });
else if (config.servePages)
  app.log.warn('web/build is missing: serving the API only (run "pnpm build", or "pnpm dev" for development)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      await app.close();
      await handle.close();
      process.exit(0);
    })();
  });
}

phase('pages');
await app.listen({ port: config.port, host: config.host });
phase('listening');
app.log.info({ ms: phases }, 'started');
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const loopback =
  ['0.0.0.0', '::', 'localhost'].includes(config.host) || config.host.startsWith('127.') ? '127.0.0.1' : config.host;
process.env.KONKURS_API_URL = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`;

const lines = [
  '',
  `Konkurs работает: ${config.publicUrl}${config.port === 0 ? ` (порт ${port})` : ''}`,
  `База данных: ${handle.kind === 'embedded' ? `встроенная PostgreSQL в ${join(config.dataDir, 'db')}` : 'PostgreSQL по DATABASE_URL'}`,
  `Документация API: ${config.publicUrl}/api/docs`,
];
if (config.demoData) {
  lines.push(seeded ? 'Демонстрационные данные загружены.' : 'Демонстрационные данные уже были загружены ранее.');
  lines.push('Демонстрационные учётные записи (e-mail / пароль):');
  for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.label.padEnd(30)} ${a.email} / ${a.password}`);
  lines.push(`Код доступа участника олимпиады (вход «По коду доступа»): ${DEMO_ACCESS_CODE}`);
}
if (!withPages)
  lines.push(
    config.servePages
      ? 'Страницы не собраны: доступен только API.'
      : 'Страницы здесь не обслуживаются (SERVE_PAGES=0).',
  );
console.log(lines.join('\n') + '\n');
