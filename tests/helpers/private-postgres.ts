import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL 15 server of one's own, for tests and benchmarks that stop and start PostgreSQL itself: initdb in a
 * temporary folder, a free port on loopback, its socket in that folder. The machine's server (5432) and every other
 * test are untouched. As root (initdb refuses root) the programs run as the `postgres` OS user.
 */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** Connection string of its `postgres` database (trust authentication on loopback). */
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: the server terminates every connection (57P01) and starts again; resolves when it accepts connections. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`; resolves when it is down. */
  stop(): Promise<void>;
  /** `pg_ctl start`; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Whether the last start, stop or restart left it running. */
  running(): boolean;
  /** Stops the server (immediately) and removes its folder. Safe to call twice, and after a failure. */
  destroy(): void;
  /** The server's log, for a failure's message. */
  log(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The uid and gid of the `postgres` OS user, when this process runs as root; otherwise the programs run as we do. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no `postgres` OS user to run initdb and postgres as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  for (const program of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, program))) {
      throw new Error(
        `PostgreSQL 15's programs are not in ${PG_BIN} (apt-get install postgresql-15, or set PG_BIN to their folder)`,
      );
    }
  }
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'konkurs-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  let destroyed = false;

  const run = (program: string, args: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      let output = '';
      const child = spawn(join(PG_BIN, program), args, {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...user,
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${program} ${args.join(' ')} failed (${code}):\n${output}\n${readLog()}`)),
      );
    });
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  // -w waits until the server accepts connections (or says why it could not); -t bounds that wait on a busy machine.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=32MB`;
  const start = () => run('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', options]);
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      spawnSync(join(PG_BIN, 'pg_ctl'), ['stop', '-m', 'immediate', '-w', '-t', '30', '-D', dataDir], {
        stdio: 'ignore',
        ...user,
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Whatever happens to the test, the server does not outlive this process.
  process.once('exit', destroy);

  try {
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-instructions']);
    await start();
  } catch (error) {
    destroy();
    throw error;
  }
  let up = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async restart() {
      up = false;
      await run('pg_ctl', ['restart', '-m', 'fast', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', options]);
      up = true;
    },
    async stop() {
      await run('pg_ctl', ['stop', '-m', 'fast', '-w', '-t', '60', '-D', dataDir]);
      up = false;
    },
    async start() {
      await start();
      up = true;
    },
    running: () => up,
    destroy,
    log: readLog,
  };
}
