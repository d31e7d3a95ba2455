import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { S3FileStorage } from './s3-storage.ts';

export interface MoveReport {
  copied: number;
  alreadyThere: number;
}

/**
 * Copies every file of the local-disk storage (DATA_DIR/files/<2 chars>/<key>) into the bucket under the same key, so
 * the database's keys stay valid. Files already in the bucket are skipped, so the command can be run again after an
 * interruption. The disk copies are left alone: remove DATA_DIR/files once the server runs on the bucket.
 */
export async function moveDiskFilesToBucket(
  filesRoot: string,
  bucket: S3FileStorage,
  log: (line: string) => void = () => {},
): Promise<MoveReport> {
  const report: MoveReport = { copied: 0, alreadyThere: 0 };
  if (!existsSync(filesRoot)) return report;
  for (const folder of readdirSync(filesRoot).sort()) {
    for (const key of readdirSync(join(filesRoot, folder)).sort()) {
      if (!/^[0-9a-f-]{36}$/.test(key)) continue;
      if (await bucket.exists(key)) {
        report.alreadyThere += 1;
        continue;
      }
      await bucket.putWithKey(key, createReadStream(join(filesRoot, folder, key)));
      report.copied += 1;
      log(`${key}`);
    }
  }
  return report;
}
