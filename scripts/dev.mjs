// `pnpm dev`: the API with restart on change (port 3000) and the SvelteKit dev server with hot reload (port 5173).
// Open http://localhost:5173. The pages' server code calls the API on 3000; the browser's /api calls are proxied there.
import { spawn } from 'node:child_process';

const env = { ...process.env, PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:5173', SERVE_PAGES: '0' };
const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/src/main.ts'], { env, stdio: 'inherit' }),
  spawn('pnpm', ['--filter', '@konkurs/web', 'dev'], { env, stdio: 'inherit' }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children)
  c.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
