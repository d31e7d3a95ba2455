import type { Db } from '@konkurs/db';
import { inScope, type EventRef } from './service.ts';

/**
 * A copied event (last year's contest into this year's) keeps the wording, logo and signature its source had of its
 * own; what the source took from the organisation it keeps taking from there. Image files are shared, not duplicated:
 * a file still printed by another event is never deleted (certificate_images.file_id restricts it).
 */
export async function copyCertificateSettings(trx: Db, from: EventRef, to: EventRef): Promise<void> {
  const target = { contest_id: to.contestId ?? null, olympiad_id: to.olympiadId ?? null };
  const templates = await trx.selectFrom('certificate_templates').selectAll().where(inScope(from)).execute();
  for (const t of templates) {
    await trx
      .insertInto('certificate_templates')
      .values({
        ...target,
        award: t.award,
        title: t.title,
        subtitle: t.subtitle,
        lead: t.lead,
        recipient_line: t.recipient_line,
        body: t.body,
        orientation: t.orientation,
        signatories: JSON.stringify(t.signatories),
        place: t.place,
      })
      .execute();
  }
  const images = await trx.selectFrom('certificate_images').select(['kind', 'file_id']).where(inScope(from)).execute();
  for (const i of images)
    await trx
      .insertInto('certificate_images')
      .values({ ...target, kind: i.kind, file_id: i.file_id })
      .execute();
}
