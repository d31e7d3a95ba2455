import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import S3rver from 's3rver';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { buildApp } from '@konkurs/server';
import { readConfig } from '../../server/src/config.ts';
import { localDiskStorage } from '../../server/src/modules/files/storage.ts';
import { s3Client, s3Storage, type S3Settings } from '../../server/src/modules/files/s3-storage.ts';
import { moveDiskFilesToBucket } from '../../server/src/modules/files/move-to-s3.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { freePort } from '../helpers/server-process.ts';
import { PUBLIC_URL, registerUser, type App } from '../helpers/app.ts';
import { createContestWithForm, EXE_HEADER, multipart, organizerCookie, PNG_1PX } from '../helpers/contest.ts';

// An S3-protocol server of the test's own (s3rver keeps its buckets in a temporary folder), so the real
// AWS SDK code path is exercised without a network.
let server: S3rver;
let dir: string;
let settings: S3Settings;
const BUCKET = 'konkurs-test';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'konkurs-s3-'));
  const port = await freePort();
  server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: join(dir, 's3'),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  await server.run();
  settings = {
    bucket: BUCKET,
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    prefix: 'files/',
  };
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function objectKeys(): Promise<string[]> {
  const listed = await s3Client(settings).send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('S3-compatible storage behind the storage interface', () => {
  test('streams a file in and out under the prefix, tells what exists, removes', async () => {
    const storage = s3Storage(settings);
    const big = Buffer.alloc(7 * 1024 * 1024, 7); // more than one 5 MB part of a multipart upload
    const key = await storage.put(Readable.from([big.subarray(0, 3_000_000), big.subarray(3_000_000)]));
    expect(await objectKeys()).toContain(`files/${key}`);
    expect(await storage.exists(key)).toBe(true);
    expect((await bytesOf(await storage.get(key))).equals(big)).toBe(true);
    await storage.remove(key);
    expect(await storage.exists(key)).toBe(false);
    expect(await objectKeys()).not.toContain(`files/${key}`);
  });

  test('an upload whose stream fails leaves nothing in the bucket', async () => {
    const before = await objectKeys();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024, 1));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(s3Storage(settings).put(failing)).rejects.toThrow();
    expect(await objectKeys()).toEqual(before);
  });

  test('moving the disk storage copies every file under its key, and a second run copies nothing', async () => {
    const disk = join(dir, 'disk-files');
    const local = localDiskStorage(disk);
    const keys = [await local.put(Readable.from([Buffer.from('первый')])), await local.put(Readable.from([PNG_1PX]))];
    const bucket = s3Storage(settings);
    expect(await moveDiskFilesToBucket(disk, bucket)).toEqual({ copied: 2, alreadyThere: 0 });
    expect((await bytesOf(await bucket.get(keys[0]))).toString()).toBe('первый');
    expect((await bytesOf(await bucket.get(keys[1]))).equals(PNG_1PX)).toBe(true);
    expect(await moveDiskFilesToBucket(disk, bucket)).toEqual({ copied: 0, alreadyThere: 2 });
  });
});

describe('the server on S3_BUCKET', () => {
  let t: TestDb;
  let app: App;

  beforeAll(async () => {
    t = await createTestDb();
    const env = {
      PUBLIC_URL,
      LOG_LEVEL: 'silent',
      DATA_DIR: join(dir, 'unused'),
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: settings.endpoint!,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PREFIX: 'app/',
    };
    app = await buildApp({ db: t.db, config: readConfig(env), logger: false });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  test('an applicant’s attachment goes to the bucket, downloads intact, a refused one leaves nothing, a removed one is gone', async () => {
    const organizer = await organizerCookie(app, t.db);
    const contest = await createContestWithForm(app, organizer, new Date());
    const { cookie } = await registerUser(app);
    const started = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie },
      payload: { nominationId: contest.nominations[0].id },
    });
    const applicationId = started.json().application.id;
    const upload = (name: string, content: Buffer) => {
      const body = multipart(name, content);
      return app.inject({
        method: 'POST',
        url: `/api/applications/${applicationId}/files?field=photos`,
        headers: { cookie, ...body.headers },
        payload: body.payload,
      });
    };

    const stored = await upload('фото.png', PNG_1PX);
    expect(stored.statusCode, stored.body).toBe(201);
    const appObjects = async () => (await objectKeys()).filter((k) => k.startsWith('app/'));
    expect(await appObjects()).toHaveLength(1);
    const fileId = stored.json().file.id;
    const download = await app.inject({ method: 'GET', url: `/api/files/${fileId}`, headers: { cookie } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.equals(PNG_1PX)).toBe(true);

    expect((await upload('программа.png', EXE_HEADER)).statusCode).toBe(415);
    expect(await appObjects()).toHaveLength(1);

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/applications/${applicationId}/files/${fileId}`,
      headers: { cookie, origin: PUBLIC_URL },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await appObjects()).toHaveLength(0);
  });
});
