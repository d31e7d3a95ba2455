import { buffer } from 'node:stream/consumers';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../config.ts';
import { s3Storage } from './s3-storage.ts';

/**
 * Where uploaded bytes live: the local disk (default) or an S3-compatible bucket (s3-storage.ts). Only this
 * interface is used by the rest of the server. Keys are generated here, never taken from an uploaded name.
 */
export interface FileStorage {
  /** Streams the bytes in and returns a new key; on any failure nothing is left behind. */
  put(source: Readable): Promise<string>;
  /** Writes (or replaces) the bytes under a key chosen elsewhere: a derived copy's, or a file moved between storages. */
  putWithKey(key: string, source: Readable): Promise<void>;
  get(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** Files under DATA_DIR/files, two levels of folders by key so no folder grows huge. */
export function localDiskStorage(root: string): FileStorage {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error(`bad storage key ${key}`);
    return join(root, key.slice(0, 2), key);
  };
  return {
    async put(source) {
      const key = randomUUID();
      const path = pathOf(key);
      await mkdir(join(root, key.slice(0, 2)), { recursive: true });
      try {
        await pipeline(source, createWriteStream(path, { flags: 'wx' }));
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      return key;
    },
    async putWithKey(key, source) {
      const path = pathOf(key);
      await mkdir(join(root, key.slice(0, 2)), { recursive: true });
      // Written aside and renamed: a reader never sees half a file, and two writers of the same key do not clash.
      const partial = `${path}.${randomUUID()}.part`;
      try {
        await pipeline(source, createWriteStream(partial, { flags: 'wx' }));
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async get(key) {
      return createReadStream(pathOf(key));
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async exists(key) {
      try {
        await stat(pathOf(key));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The storage the settings choose: the bucket when S3_BUCKET is set, otherwise DATA_DIR/files. */
export function configuredStorage(config: Pick<Config, 'dataDir' | 's3'>): FileStorage {
  return config.s3 ? s3Storage(config.s3) : localDiskStorage(join(config.dataDir, 'files'));
}

/** A stored file's bytes, whole, for work that needs all of them (cleaning, checking an image); uploads are capped. */
export async function readStored(storage: FileStorage, key: string): Promise<Buffer> {
  return buffer(await storage.get(key));
}
