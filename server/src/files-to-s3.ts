// `pnpm files:to-s3`: copies the uploaded files from DATA_DIR/files into the bucket of the S3_* settings, keeping their
// keys. Run it once before starting the server with S3_BUCKET; it may be run again (files already there are skipped).
import { join } from 'node:path';
import { readConfig } from './config.ts';
import { moveDiskFilesToBucket } from './modules/files/move-to-s3.ts';
import { s3Storage } from './modules/files/s3-storage.ts';

const config = readConfig();
if (!config.s3) {
  console.error('Задайте S3_BUCKET (и S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY), куда переносить файлы.');
  process.exit(2);
}
const from = join(config.dataDir, 'files');
const report = await moveDiskFilesToBucket(from, s3Storage(config.s3), (key) => console.log(`перенесён ${key}`));
console.log(
  `Файлы из ${from} в бакете ${config.s3.bucket}: перенесено ${report.copied}, уже были ${report.alreadyThere}.`,
);
