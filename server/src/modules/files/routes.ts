import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MEDIA, PUBLIC, fileResponse } from '../../http/openapi.ts';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { errorResponses, notFound, unauthorized } from '../../http/errors.ts';
import type { FileStorage } from './storage.ts';
import { findStoredFile } from './stored-files.ts';

const PREVIEWABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** RFC 6266 / 5987: an ASCII fallback and the real (Cyrillic) name. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const fileRoutes: FastifyPluginAsyncTypebox<{ db: Db; storage: FileStorage }> = async (app, { db, storage }) => {
  app.get(
    '/api/files/:id',
    {
      schema: {
        security: PUBLIC,
        tags: ['Файлы'],
        summary: 'Скачать файл (автору заявки и организаторам; положение конкурса — всем)',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Файл' }) }),
        querystring: Type.Object({
          preview: Type.Optional(Type.Boolean({ title: 'Показать изображение в браузере' })),
        }),
        response: {
          200: fileResponse('Содержимое файла с его настоящим типом', MEDIA.any),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await findStoredFile(db, request.params.id);
      const user = request.session?.user;
      // Jurors get files only through an assignment (the jury module); nobody else but the applicant and organizers.
      if (!file) throw notFound('Файл не найден.');
      if (file.purpose !== 'contest_rules' && !user) throw unauthorized();
      const allowed =
        file.purpose === 'contest_rules' ||
        (user && (user.id === file.applicant_id || user.roles.includes('organizer')));
      if (!allowed) throw notFound('Файл не найден.');
      if (!(await storage.exists(file.storage_key))) throw notFound('Файл не найден в хранилище.');
      const inline = request.query.preview === true && PREVIEWABLE.has(file.mime_type);
      reply
        .header('content-type', file.mime_type)
        .header('content-length', String(file.size_bytes))
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.original_name))
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
      return reply.send(await storage.get(file.storage_key));
    },
  );
};
