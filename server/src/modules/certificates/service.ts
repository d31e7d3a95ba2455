import { sql, type AwardKind, type Db } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { moscowDate, moscowYear } from '../../lib/moscow.ts';
import { recordAudit } from '../audit/service.ts';
import { formatCode, newVerificationCode, registryNumber } from './codes.ts';
import { eventImageIds } from './images.ts';
import type { CertificateView } from './render.ts';
import { AWARD_LABELS, DEFAULT_TEMPLATES, fillPlaceholders, type PlaceholderValues, type TemplateText } from './templates.ts';

/** A contest or an olympiad: certificates belong to exactly one. */
export type EventRef = { contestId: string; olympiadId?: undefined } | { olympiadId: string; contestId?: undefined };

/** Someone entitled to an award, as the results (or the jury list) name them. */
export interface Recipient {
  /** Stable identity within the event, e.g. 'application:<id>', so that issuing again duplicates nothing. */
  key: string;
  userId: string | null;
  name: string;
  values?: PlaceholderValues;
}

/** ?contestId=… or ?olympiadId=… (exactly one) → the event. */
export function eventRef(query: { contestId?: string; olympiadId?: string }): EventRef {
  if (query.contestId && !query.olympiadId) return { contestId: query.contestId };
  if (query.olympiadId && !query.contestId) return { olympiadId: query.olympiadId };
  throw new AppError(400, 'validation', 'Укажите конкурс или олимпиаду (одно из двух).', { contestId: 'Укажите конкурс или олимпиаду.' });
}

export const eventWhere = (event: EventRef) =>
  event.contestId ? { column: 'contest_id' as const, id: event.contestId } : { column: 'olympiad_id' as const, id: event.olympiadId! };

export async function eventTitle(db: Db, event: EventRef): Promise<string> {
  const row = event.contestId
    ? await db.selectFrom('contests').select('title').where('id', '=', event.contestId).executeTakeFirst()
    : await db.selectFrom('olympiads').select('title').where('id', '=', event.olympiadId!).executeTakeFirst();
  if (!row) throw new AppError(404, 'not_found', 'Мероприятие не найдено.');
  return row.title;
}

/** The organizer's wording of an award for the event, or the default one. */
export async function templateFor(db: Db, event: EventRef, award: AwardKind): Promise<TemplateText & { custom: boolean }> {
  const { column, id } = eventWhere(event);
  const row = await db.selectFrom('certificate_templates').selectAll().where(column, '=', id).where('award', '=', award).executeTakeFirst();
  if (!row) return { ...DEFAULT_TEMPLATES[award], custom: false };
  return { title: row.title, subtitle: row.subtitle, lead: row.lead, body: row.body, orientation: row.orientation, signatories: row.signatories, place: row.place, custom: true };
}

/**
 * Issues the award to every recipient who does not hold it yet, with the wording frozen as it is now.
 * Idempotent: recipients who already have it are left alone. Returns how many were issued now.
 */
export async function issueCertificates(
  db: Db,
  input: { event: EventRef; award: AwardKind; recipients: Recipient[]; issuedBy: string | null; now?: Date },
): Promise<{ issued: number; alreadyIssued: number }> {
  const now = input.now ?? new Date();
  const issuedOn = moscowDate(now);
  const year = moscowYear(now);
  return db.transaction().execute(async (trx) => {
    const title = await eventTitle(trx, input.event);
    const template = await templateFor(trx, input.event, input.award);
    const images = await eventImageIds(trx, input.event);
    const { column, id } = eventWhere(input.event);
    const existing = new Set(
      (await trx.selectFrom('certificates').select('recipient_key').where(column, '=', id).where('award', '=', input.award).execute()).map((r) => r.recipient_key),
    );
    const fresh = input.recipients.filter((r, i, all) => !existing.has(r.key) && all.findIndex((o) => o.key === r.key) === i);
    let issued = 0;
    for (const r of fresh) {
      const values: PlaceholderValues = { 'ФИО': r.name, 'конкурс': title, 'дата': issuedOn, ...r.values };
      const { seq } = await sql<{ seq: number }>`select nextval('certificate_registry_seq')::int as seq`.execute(trx).then((res) => res.rows[0]);
      const row = await trx
        .insertInto('certificates')
        .values({
          registry_number: registryNumber(input.award, year, seq),
          code: newVerificationCode(),
          contest_id: input.event.contestId ?? null,
          olympiad_id: input.event.olympiadId ?? null,
          award: input.award,
          recipient_user_id: r.userId,
          recipient_key: r.key,
          recipient_name: r.name,
          title: fillPlaceholders(template.title, values),
          subtitle: fillPlaceholders(template.subtitle, values),
          lead: fillPlaceholders(template.lead, values),
          body: fillPlaceholders(template.body, values),
          orientation: template.orientation,
          signatories: JSON.stringify(template.signatories),
          place: template.place,
          issued_on: issuedOn,
          issued_by: input.issuedBy,
          logo_file_id: images.logo,
          signature_file_id: images.signature,
        })
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'registry_number'])
        .executeTakeFirst();
      if (!row) continue;
      issued++;
      await recordAudit(trx, { actorId: input.issuedBy, action: 'certificate.issue', entity: 'certificate', entityId: row.id, after: { award: input.award, recipient: r.key, registryNumber: row.registry_number } });
    }
    return { issued, alreadyIssued: input.recipients.length - fresh.length };
  });
}

function query(db: Db) {
  return db
    .selectFrom('certificates')
    .leftJoin('contests', 'contests.id', 'certificates.contest_id')
    .leftJoin('olympiads', 'olympiads.id', 'certificates.olympiad_id')
    .select([
      'certificates.id', 'certificates.registry_number', 'certificates.code', 'certificates.award', 'certificates.recipient_user_id',
      'certificates.recipient_name', 'certificates.title', 'certificates.subtitle', 'certificates.lead', 'certificates.body',
      'certificates.orientation', 'certificates.signatories', 'certificates.place', 'certificates.issued_on', 'certificates.issued_at',
      'certificates.revoked_at', 'certificates.revoke_reason', 'certificates.contest_id', 'certificates.olympiad_id',
      'certificates.logo_file_id', 'certificates.signature_file_id',
      sql<string>`coalesce(contests.title, olympiads.title)`.as('event_title'),
    ]);
}

export type CertificateRow = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;
export const findCertificate = (db: Db, id: string) => query(db).where('certificates.id', '=', id).executeTakeFirst();
export const findCertificateByCode = (db: Db, code: string) => query(db).where('certificates.code', '=', code).executeTakeFirst();
export const certificatesOfUser = (db: Db, userId: string) =>
  query(db).where('certificates.recipient_user_id', '=', userId).orderBy('certificates.issued_at', 'desc').execute();

export function listCertificates(db: Db, event: EventRef) {
  const { column, id } = eventWhere(event);
  return query(db).where(`certificates.${column}`, '=', id).orderBy('certificates.registry_number').execute();
}

/** Rows of an event for printing, fetched 200 at a time so that a batch of any size takes the same memory. */
export async function* certificatesForPrinting(db: Db, event: EventRef): AsyncGenerator<CertificateRow> {
  const { column, id } = eventWhere(event);
  let after = '';
  for (;;) {
    const page = await query(db)
      .where(`certificates.${column}`, '=', id)
      .where('certificates.revoked_at', 'is', null)
      .where('certificates.registry_number', '>', after)
      .orderBy('certificates.registry_number')
      .limit(200)
      .execute();
    yield* page;
    if (page.length < 200) return;
    after = page[page.length - 1].registry_number;
  }
}

export function verifyUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/verify/${code}`;
}

export function toView(row: CertificateRow, publicUrl: string): CertificateView {
  return {
    title: row.title,
    subtitle: row.subtitle,
    lead: row.lead,
    recipientName: row.recipient_name,
    body: row.body,
    date: row.issued_on,
    place: row.place,
    signatories: row.signatories,
    registryNumber: row.registry_number,
    code: formatCode(row.code),
    verifyUrl: verifyUrl(publicUrl, row.code),
    orientation: row.orientation,
    logoFileId: row.logo_file_id,
    signatureFileId: row.signature_file_id,
  };
}

export async function revokeCertificate(db: Db, id: string, reason: string, actorId: string, ip: string | null): Promise<CertificateRow> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('certificates').select(['id', 'revoked_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError(404, 'not_found', 'Наградной документ не найден.');
    if (before.revoked_at) throw new AppError(409, 'already_revoked', 'Этот документ уже отозван.');
    await trx.updateTable('certificates').set({ revoked_at: new Date(), revoked_by: actorId, revoke_reason: reason }).where('id', '=', id).execute();
    await recordAudit(trx, { actorId, action: 'certificate.revoke', entity: 'certificate', entityId: id, before: { revoked: false }, after: { revoked: true, reason }, ip });
    return (await findCertificate(trx, id))!;
  });
}

export const awardLabel = (award: AwardKind) => AWARD_LABELS[award];
