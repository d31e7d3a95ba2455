import { Transform, type Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import sanitize from 'sanitize-filename';
import { AppError, type ErrorCode } from '../../http/errors.ts';
import type { FileStorage } from './storage.ts';

export interface UploadLimits {
  /** Allowed real types (decided from the content). */
  mimeTypes: string[];
  maxBytes: number;
}

export interface StoredUpload {
  storageKey: string;
  mimeType: string;
  size: number;
  name: string;
}

const SNIFF_BYTES = 4100;

/**
 * A safe display name: no folders (a "../../etc/passwd" keeps only "passwd"), no control or reserved characters,
 * at most 150 characters, and an extension that matches the real type.
 */
export function safeFileName(original: string, extension: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  let name = sanitize(base.normalize('NFC'), { replacement: '_' }).replace(/^\.+/, '').trim();
  name = name.replace(/\.[^.]*$/, '') || 'файл';
  return `${[...name].slice(0, 140).join('')}.${extension}`;
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'application/pdf': 'pdf' };

/**
 * Streams one uploaded file into storage while checking it: the type from its first bytes, the size as it
 * flows. A refused or interrupted upload leaves nothing in storage. Throws AppError (400/413) naming `field`.
 */
export async function storeUpload(
  storage: FileStorage,
  file: Readable & { truncated?: boolean },
  filename: string,
  limits: UploadLimits,
  field: string,
): Promise<StoredUpload> {
  const refuse = (code: ErrorCode, message: string) => new AppError(code, message, { [field]: message });
  let size = 0;
  let head = Buffer.alloc(0);
  let detected: { mime: string; ext: string } | undefined;
  let problem: AppError | undefined;

  const checker = new Transform({
    // Stream callbacks cannot be async functions: a rejection would escape the stream. Each one catches into `done`.
    transform(chunk: Buffer, _enc, done) {
      void take(chunk, done).catch(done);
    },
    flush(done) {
      void finish(this, done).catch(done);
    },
  });

  async function take(chunk: Buffer, done: (error?: Error | null, data?: Buffer | null) => void) {
    size += chunk.length;
    if (size > limits.maxBytes) {
      problem = refuse('file_too_large', `Файл «${filename}» больше ${formatSize(limits.maxBytes)}.`);
      return done(problem);
    }
    if (!detected && head.length < SNIFF_BYTES) {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) return done(null, null);
      const result = await check(head);
      if (result instanceof AppError) return done((problem = result));
      detected = result;
      return done(null, head);
    }
    done(null, chunk);
  }

  async function finish(stream: Transform, done: (error?: Error | null) => void) {
    if (!detected) {
      if (head.length === 0) return done((problem = refuse('file_empty', `Файл «${filename}» пустой.`)));
      const result = await check(head);
      if (result instanceof AppError) return done((problem = result));
      detected = result;
      stream.push(head);
    }
    done();
  }

  async function check(bytes: Buffer): Promise<{ mime: string; ext: string } | AppError> {
    const type = await fileTypeFromBuffer(bytes);
    if (!type || !limits.mimeTypes.includes(type.mime)) {
      return refuse(
        'file_type',
        `Файл «${filename}» не подходит: по содержимому это ${type ? type.ext.toUpperCase() : 'неизвестный тип'}, а принимаются ${describeTypes(limits.mimeTypes)}.`,
      );
    }
    return { mime: type.mime, ext: EXTENSIONS[type.mime] ?? type.ext };
  }

  // The checker may fail before the storage starts reading it; the failure is kept in `problem` and thrown below.
  checker.on('error', () => {});
  // A connection that breaks mid-upload fails the incoming stream: that is the client's interruption, not a server fault.
  let interrupted = false;
  file.on('error', () => {
    interrupted = true;
    checker.destroy(new Error('upload interrupted'));
  });
  let storageKey: string;
  try {
    storageKey = await storage.put(file.pipe(checker));
  } catch (error) {
    file.resume();
    if (problem) throw problem;
    if (interrupted)
      throw refuse(
        'upload_interrupted',
        `Загрузка файла «${filename}» прервалась. Проверьте подключение и загрузите файл ещё раз.`,
      );
    throw error;
  }
  // @fastify/multipart cuts a file at the global hard limit and marks it truncated.
  if (file.truncated) {
    await storage.remove(storageKey);
    throw refuse('file_too_large', `Файл «${filename}» больше ${formatSize(limits.maxBytes)}.`);
  }
  return { storageKey, mimeType: detected!.mime, size, name: safeFileName(filename, detected!.ext) };
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${String(Math.round((bytes / 1024 / 1024) * 10) / 10).replace('.', ',')} МБ`
    : `${Math.ceil(bytes / 1024)} КБ`;
}

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
};

export function describeTypes(mimeTypes: string[]): string {
  return [...new Set(mimeTypes.map((m) => TYPE_NAMES[m] ?? m))].join(', ');
}
