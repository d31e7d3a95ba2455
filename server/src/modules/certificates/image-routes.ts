import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { AppError, errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import type { FileStorage } from '../files/storage.ts';
import { IMAGE_LABELS, eventImages, removeEventImage, setEventImage } from './images.ts';
import { ImagesResponse, KindParams, ScopeQuery } from './schemas.ts';
import { checkScope, scopeRef } from './service.ts';

const tags = ['Наградные документы'];
/**
 * The logo and the signature image an event prints on the certificates it issues from now on (certificates/images.ts);
 * the organisation's own (?organisation=true) are printed by every event that has none of its own.
 */
export const certificateImageRoutes: FastifyPluginAsyncTypebox<{ db: Db; storage: FileStorage }> = async (
  app,
  { db, storage },
) => {
  const list = async (event: ReturnType<typeof scopeRef>) => ({
    images: (await eventImages(db, event)).map((i) => ({ ...i, label: IMAGE_LABELS[i.kind] })),
  });

  app.get(
    '/api/certificate-images',
    {
      schema: {
        tags,
        summary: 'Логотип и подпись для документов мероприятия (для организатора)',
        querystring: ScopeQuery,
        response: { 200: ImagesResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireRole(request, 'organizer');
      const event = scopeRef(request.query);
      await checkScope(db, event);
      return list(event);
    },
  );

  app.post(
    '/api/certificate-images/:kind',
    {
      schema: {
        tags,
        summary: 'Загрузить или заменить логотип или подпись: PNG или JPEG до 2 МБ (multipart, поле file)',
        consumes: ['multipart/form-data'],
        params: KindParams,
        querystring: ScopeQuery,
        response: { 200: ImagesResponse, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const event = scopeRef(request.query);
      await checkScope(db, event);
      const missing = () =>
        new AppError('validation', 'Выберите файл изображения (PNG или JPEG).', { file: 'Выберите файл.' });
      if (!request.isMultipart()) throw missing();
      const file = await request.file();
      if (!file) throw missing();
      await setEventImage(
        db,
        storage,
        event,
        request.params.kind,
        { stream: file.file, filename: file.filename },
        { id: user.id, ip: request.ip },
      );
      return list(event);
    },
  );

  app.delete(
    '/api/certificate-images/:kind',
    {
      schema: {
        tags,
        summary: 'Убрать логотип или подпись',
        params: KindParams,
        querystring: ScopeQuery,
        response: { 200: ImagesResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'organizer');
      const event = scopeRef(request.query);
      await checkScope(db, event);
      await removeEventImage(db, storage, event, request.params.kind, { id: user.id, ip: request.ip });
      return list(event);
    },
  );
};
