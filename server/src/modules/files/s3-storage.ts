import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { FileStorage } from './storage.ts';

export interface S3Settings {
  bucket: string;
  /** An S3-compatible server's address (e.g. https://storage.yandexcloud.net); unset means AWS itself. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Addresses like https://host/bucket/key instead of https://bucket.host/key (most S3-compatible servers want it). */
  forcePathStyle: boolean;
  /** Keys are stored under this prefix in the bucket (e.g. "konkurs/"), so the bucket can be shared. */
  prefix: string;
}

export function s3Client(settings: S3Settings): S3Client {
  const credentials =
    settings.accessKeyId && settings.secretAccessKey
      ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
      : undefined;
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials,
  });
}

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || error instanceof NotFound || (error as { name?: string })?.name === 'NotFound';

/**
 * Files in an S3-compatible bucket, behind the same interface as the local disk, so that several server processes
 * (or machines) share them. Uploads are streamed in parts (lib-storage's Upload: no whole file in memory, an unknown
 * length is fine); a failed upload is aborted, so nothing is left behind. Downloads stream the object's body.
 */
export interface S3FileStorage extends FileStorage {
  /** Writes an object under a key chosen elsewhere (moving files from the disk keeps their keys). */
  putWithKey(key: string, source: Readable): Promise<void>;
}

export function s3Storage(settings: S3Settings, client = s3Client(settings)): S3FileStorage {
  const Bucket = settings.bucket;
  const objectKey = (key: string) => {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error(`bad storage key ${key}`);
    return settings.prefix + key;
  };
  async function putWithKey(key: string, source: Readable) {
    const upload = new Upload({ client, params: { Bucket, Key: objectKey(key), Body: source } });
    try {
      await upload.done();
    } catch (error) {
      await upload.abort().catch(() => {});
      // A failed single-part upload may still have written the object; make sure it is gone.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) })).catch(() => {});
      source.destroy();
      throw error;
    }
  }
  return {
    putWithKey,
    async put(source) {
      const key = randomUUID();
      await putWithKey(key, source);
      return key;
    },
    async get(key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
      return Body as Readable;
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
