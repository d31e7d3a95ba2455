/**
 * pnpm bench:start — how long `pnpm start` takes to serve the home page: from spawning it to the first 200 of `/`,
 * twice on one fresh DATA_DIR (the embedded database), so the first start creates, migrates and seeds the database and
 * the second finds everything done. The pages must be built (web/build up to date), or the first start builds them.
 * The server's own log lines (with their times) are printed; the last line reads:
 *   first_start_s=<n> second_start_s=<n>
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'konkurs-start-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function oneStart(label: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  // Its own process group, so that pnpm, node and the build all stop together.
  const child = spawn('pnpm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '' },
  });
  const stamp = () => `${((performance.now() - started) / 1000).toFixed(2)} s`;
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      let nl: number;
      while ((nl = output.indexOf('\n')) >= 0) {
        const line = output.slice(0, nl);
        output = output.slice(nl + 1);
        if (line.trim()) console.log(`  [${label} ${stamp()}] ${line.slice(0, 160)}`);
      }
    });
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${label} start exited before serving /`);
      const ok = await fetch(`http://127.0.0.1:${port}/`)
        .then(async (res) => (await res.arrayBuffer(), res.status === 200))
        .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`${label} start: / answered 200 after ${seconds.toFixed(2)} s`);
    return seconds;
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => (exited ? r(null) : child.once('exit', r)));
  }
}

try {
  const first = await oneStart('first');
  const second = await oneStart('second');
  console.log(`first_start_s=${first.toFixed(2)} second_start_s=${second.toFixed(2)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
