// `pnpm start`'s first step: builds the pages (web/build) only when their sources changed since the last build, so a
// second start serves within seconds instead of rebuilding for 20 s. The fingerprint covers everything the build reads:
// web/ (sources, static files, configs), the server code the pages import at run time (server/src/lib) and the lockfile.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SKIP = new Set(['node_modules', 'build', '.svelte-kit']);
const stamp = join(root, 'web/build/.sources');

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

export function sourcesFingerprint() {
  const hash = createHash('sha256');
  for (const dir of ['web', 'server/src/lib']) {
    for (const path of files(join(root, dir)))
      hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  hash.update(readFileSync(join(root, 'pnpm-lock.yaml')));
  return hash.digest('hex');
}

const fingerprint = sourcesFingerprint();
const built =
  existsSync(join(root, 'web/build/handler.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint;
if (built && !process.argv.includes('--force')) {
  console.log('Pages are up to date (web/build); not rebuilding.');
} else {
  const result = spawnSync('pnpm', ['--filter', '@konkurs/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, fingerprint);
}
