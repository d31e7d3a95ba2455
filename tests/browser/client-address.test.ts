import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCESS_CODE } from '@konkurs/db';
import { ACCESS_CODE_LIMITS } from '../../server/src/modules/auth/throttle.ts';
import { startPlatform, type RunningServer } from '../helpers/server-process.ts';

/**
 * Sign-ins made through the pages count under the person's own address, not the page server's: the real process
 * (pages and API in one), reached as through a reverse proxy on the same machine (TRUST_PROXY=loopback, the
 * default), which names the client in X-Forwarded-For.
 */

let server: RunningServer;

beforeAll(async () => {
  server = await startPlatform();
});

afterAll(async () => {
  await server?.stop();
});

/** The /code page's form, sent as SvelteKit's enhanced form sends it, from `address`. */
async function codeForm(
  code: string,
  address: string,
  extra: Record<string, string> = {},
): Promise<{ type: string; status: number; data: string }> {
  const res = await fetch(`${server.url}/code`, {
    method: 'POST',
    headers: {
      origin: server.url,
      accept: 'application/json',
      'x-sveltekit-action': 'true',
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': address,
      ...extra,
    },
    body: new URLSearchParams({ code }),
    redirect: 'manual',
  });
  return res.json();
}

describe('the client address through the pages', () => {
  test('typos from one address stop that address only; a pupil at another address signs in with the code', async () => {
    const school = '203.0.113.10';
    const home = '198.51.100.20';
    for (let i = 0; i < ACCESS_CODE_LIMITS.address.max; i++) {
      const code = `ABCDE-${[0, 1, 2].map((k) => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(i / 24 ** k) % 24]).join('')}QQ`;
      const result = await codeForm(code, school);
      expect(result.status, `typo ${i + 1}`).toBe(401);
    }
    const stopped = await codeForm(DEMO_ACCESS_CODE, school);
    expect(stopped).toMatchObject({ type: 'failure', status: 429 });
    expect(stopped.data).toContain('Слишком много неверных кодов подряд');
    // A client cannot claim another address through the header the pages read it from.
    const forged = await codeForm(DEMO_ACCESS_CODE, school, { 'x-konkurs-client-address': home });
    expect(forged).toMatchObject({ type: 'failure', status: 429 });

    const elsewhere = await codeForm(DEMO_ACCESS_CODE, home);
    expect(elsewhere).toMatchObject({ type: 'redirect', status: 303 });
  }, 180_000);
});
