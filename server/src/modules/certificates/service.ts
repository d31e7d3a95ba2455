import { sql, type AwardKind, type Db, type NameForms } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { moscowDate, moscowYear } from '../../lib/moscow.ts';
import { recordAudit } from '../audit/service.ts';
import { greeting } from '../mail/letter.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { hasRealEmail, MAIL_FOOTER } from '../olympiad/mail.ts';
import { formatCode, newVerificationCode, registryNumber } from './codes.ts';
import { eventImageIds } from './images.ts';
import { declineName, genderOf, splitFullName, type PersonName } from './names.ts';
import { getOrganisation, type Organisation } from './organisation.ts';
import type { CertificateView } from './render.ts';
import type { TemplateBody } from './schemas.ts';
import {
  AWARD_LABELS,
  defaultTemplate,
  fillPlaceholders,
  type EventKind,
  type PlaceholderValues,
  type TemplateText,
} from './templates.ts';

/** A contest or an olympiad: certificates belong to exactly one. */
export type EventRef = { contestId: string; olympiadId?: undefined } | { olympiadId: string; contestId?: undefined };
/** Where templates and images are kept: an event, or the organisation (used by every event without its own). */
export type Scope = EventRef | { organisation: true; contestId?: undefined; olympiadId?: undefined };

export const kindOf = (event: EventRef): EventKind => (event.contestId ? 'contest' : 'olympiad');
export const isEvent = (scope: Scope): scope is EventRef => !!(scope.contestId ?? scope.olympiadId);

/** Someone entitled to an award, as the results (or the jury list) name them. */
export interface Recipient {
  /** Stable identity within the event, e.g. 'application:<id>', so that issuing again duplicates nothing. */
  key: string;
  userId: string | null;
  name: string;
  /** The parts of the name, for declension; taken from `name` when absent. */
  person?: PersonName;
  values?: PlaceholderValues;
}

/** How the mail about an issued document goes out (the outbox; see mail/outbox.ts). */
export interface CertificateMail {
  deliver: boolean;
  publicUrl: string;
}

/** ?contestId=… or ?olympiadId=… (exactly one) → the event. */
export function eventRef(query: { contestId?: string; olympiadId?: string }): EventRef {
  if (query.contestId && !query.olympiadId) return { contestId: query.contestId };
  if (query.olympiadId && !query.contestId) return { olympiadId: query.olympiadId };
  throw new AppError('validation', 'Укажите конкурс или олимпиаду (одно из двух).', {
    contestId: 'Укажите конкурс или олимпиаду.',
  });
}

/** As eventRef, or ?organisation=true for the organisation's own templates and images. */
export function scopeRef(query: { contestId?: string; olympiadId?: string; organisation?: boolean }): Scope {
  if (query.organisation && !query.contestId && !query.olympiadId) return { organisation: true };
  return eventRef(query);
}

export const eventWhere = (event: EventRef) =>
  event.contestId
    ? { column: 'contest_id' as const, id: event.contestId }
    : { column: 'olympiad_id' as const, id: event.olympiadId! };

/** The rows of a scope in any of the tables keyed by contest_id / olympiad_id (both null: the organisation). */
export const inScope = (scope: Scope) =>
  scope.contestId
    ? sql<boolean>`contest_id = ${scope.contestId}`
    : scope.olympiadId
      ? sql<boolean>`olympiad_id = ${scope.olympiadId}`
      : sql<boolean>`contest_id is null and olympiad_id is null`;

export async function eventTitle(db: Db, event: EventRef): Promise<string> {
  const row = event.contestId
    ? await db.selectFrom('contests').select('title').where('id', '=', event.contestId).executeTakeFirst()
    : await db.selectFrom('olympiads').select('title').where('id', '=', event.olympiadId!).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Мероприятие не найдено.');
  return row.title;
}

/** An event must exist; the organisation always does. */
export async function checkScope(db: Db, scope: Scope): Promise<void> {
  if (isEvent(scope)) await eventTitle(db, scope);
}

/** The organizer's wording of an award for the scope, in place of the one before (audited). */
export async function saveTemplate(
  db: Db,
  scope: Scope,
  award: AwardKind,
  body: TemplateBody & { recipient: string },
  actor: { id: string; ip: string },
): Promise<void> {
  const values = {
    title: body.title.trim(),
    subtitle: body.subtitle.trim(),
    lead: body.lead.trim(),
    recipient_line: body.recipient.trim() || '{ФИО}',
    body: body.body.trim(),
    orientation: body.orientation,
    place: body.place.trim(),
    signatories: JSON.stringify(body.signatories.map((s) => ({ position: s.position.trim(), name: s.name.trim() }))),
  };
  await db.transaction().execute(async (trx) => {
    const before = await templateFor(trx, scope, award);
    const id = scope.contestId ?? scope.olympiadId ?? 'organisation';
    const updated = await trx
      .updateTable('certificate_templates')
      .set({ ...values, updated_at: sql<Date>`now()` })
      .where(inScope(scope))
      .where('award', '=', award)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await trx
        .insertInto('certificate_templates')
        .values({ ...values, award, contest_id: scope.contestId ?? null, olympiad_id: scope.olympiadId ?? null })
        .execute();
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'certificate_template.update',
      entity: 'certificate_template',
      entityId: `${id}:${award}`,
      before,
      after: { ...body },
      ip: actor.ip,
    });
  });
}

export type TemplateSource = 'event' | 'organisation' | 'default';

/**
 * The wording of an award: the event's own, else the organisation's, else the built-in one. `custom` says whether the
 * scope asked for has its own (what the editor shows as «по умолчанию» or not).
 */
export async function templateFor(
  db: Db,
  scope: Scope,
  award: AwardKind,
): Promise<TemplateText & { custom: boolean; source: TemplateSource }> {
  const rows = await db
    .selectFrom('certificate_templates')
    .selectAll()
    .where('award', '=', award)
    .where((eb) => eb.or([eb.and([eb('contest_id', 'is', null), eb('olympiad_id', 'is', null)]), inScope(scope)]))
    .execute();
  const own = rows.find((r) => (r.contest_id ?? r.olympiad_id) !== null);
  const row = own ?? rows.find((r) => r.contest_id === null && r.olympiad_id === null);
  const kind: EventKind = scope.olympiadId
    ? 'olympiad'
    : scope.contestId
      ? 'contest'
      : award === 'winner' || award === 'prize'
        ? 'olympiad'
        : 'contest';
  if (!row) return { ...defaultTemplate(award, kind), custom: false, source: 'default' };
  const source: TemplateSource = own ? 'event' : 'organisation';
  return {
    title: row.title,
    subtitle: row.subtitle,
    lead: row.lead,
    recipient: row.recipient_line,
    body: row.body,
    orientation: row.orientation,
    signatories: row.signatories,
    place: row.place,
    custom: isEvent(scope) ? source === 'event' : true,
    source,
  };
}

/** The organizer's corrections of declension for an event, by recipient key. */
export async function nameCorrections(db: Db, event: EventRef): Promise<Map<string, NameForms>> {
  const rows = await db
    .selectFrom('certificate_name_forms')
    .select(['recipient_key', 'forms'])
    .where(inScope(event))
    .execute();
  return new Map(rows.map((r) => [r.recipient_key, r.forms]));
}

/** The cases of a recipient's name as they will be printed: the organizer's correction, else petrovich's. */
export function formsOf(r: Recipient, corrections: Map<string, NameForms>): NameForms {
  return corrections.get(r.key) ?? declineName(r.person ?? splitFullName(r.name));
}

function nameValues(r: Recipient, forms: NameForms): PlaceholderValues {
  const gender = genderOf(r.person ?? splitFullName(r.name));
  return {
    ФИО: r.name,
    ФИО_род: forms.genitive,
    ФИО_дат: forms.dative,
    ФИО_вин: forms.accusative,
    ФИО_твор: forms.instrumental,
    ФИО_пред: forms.prepositional,
    'принял(а)': gender === 'female' ? 'приняла' : gender === 'male' ? 'принял' : 'принял(а)',
    'ученик(ца)': gender === 'female' ? 'ученица' : gender === 'male' ? 'ученик' : 'ученик(ца)',
  };
}

/** What every certificate of one award of one event is issued with, read once per batch. */
export interface IssueContext {
  event: EventRef;
  award: AwardKind;
  title: string;
  template: TemplateText;
  organisation: Organisation;
  images: { logo: string | null; signature: string | null };
  corrections: Map<string, NameForms>;
  issuedOn: string;
  year: number;
}

export async function issueContext(db: Db, event: EventRef, award: AwardKind, now: Date): Promise<IssueContext> {
  return {
    event,
    award,
    title: await eventTitle(db, event),
    template: await templateFor(db, event, award),
    organisation: await getOrganisation(db),
    images: await eventImageIds(db, event),
    corrections: await nameCorrections(db, event),
    issuedOn: moscowDate(now),
    year: moscowYear(now),
  };
}

export interface IssuedCertificate {
  id: string;
  registryNumber: string;
  code: string;
  recipientKey: string;
  recipientUserId: string | null;
}

/**
 * Issues one certificate with the wording frozen as it is now; null when the recipient already holds a valid one of
 * this award (the partial unique index decides, so two issuing requests at once still give one). Call inside a
 * transaction; the audit entry and the recipient's mail are written in it.
 */
export async function issueOne(
  trx: Db,
  ctx: IssueContext,
  r: Recipient,
  issuedBy: string | null,
  mail: CertificateMail | null,
  replaces?: { id: string; registryNumber: string },
): Promise<IssuedCertificate | null> {
  const { template: t, organisation: org } = ctx;
  const values: PlaceholderValues = {
    ...nameValues(r, formsOf(r, ctx.corrections)),
    конкурс: ctx.title,
    дата: ctx.issuedOn,
    организация: org.name,
    город: org.city,
    ...r.values,
  };
  const { seq } = await sql<{ seq: number }>`select nextval('certificate_registry_seq')::int as seq`
    .execute(trx)
    .then((res) => res.rows[0]);
  const row = await trx
    .insertInto('certificates')
    .values({
      registry_number: registryNumber(ctx.award, ctx.year, seq),
      code: newVerificationCode(),
      contest_id: ctx.event.contestId ?? null,
      olympiad_id: ctx.event.olympiadId ?? null,
      award: ctx.award,
      recipient_user_id: r.userId,
      recipient_key: r.key,
      recipient_name: r.name,
      printed_name: fillPlaceholders(t.recipient, values) || r.name,
      issuer: org.name,
      title: fillPlaceholders(t.title, values),
      subtitle: fillPlaceholders(t.subtitle, values),
      lead: fillPlaceholders(t.lead, values),
      body: fillPlaceholders(t.body, values),
      orientation: t.orientation,
      // An empty list or place on a template means: as in the organisation's details.
      signatories: JSON.stringify(t.signatories.length ? t.signatories : org.signatories),
      place: fillPlaceholders(t.place || '{город}', values),
      issued_on: ctx.issuedOn,
      issued_by: issuedBy,
      logo_file_id: ctx.images.logo,
      signature_file_id: ctx.images.signature,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'registry_number', 'code'])
    .executeTakeFirst();
  if (!row) return null;
  await recordAudit(trx, {
    actorId: issuedBy,
    action: replaces ? 'certificate.replace' : 'certificate.issue',
    entity: 'certificate',
    entityId: row.id,
    before: replaces ? { replaces: replaces.id, registryNumber: replaces.registryNumber } : null,
    after: { award: ctx.award, recipient: r.key, registryNumber: row.registry_number },
  });
  if (mail && r.userId)
    await mailRecipient(trx, mail, {
      ...ctx,
      userId: r.userId,
      registryNumber: row.registry_number,
      code: row.code,
      replaces: replaces?.registryNumber,
    });
  return {
    id: row.id,
    registryNumber: row.registry_number,
    code: row.code,
    recipientKey: r.key,
    recipientUserId: r.userId,
  };
}

/** The recipient is told their document is ready (or replaced), with where to download it and how to check it. */
async function mailRecipient(
  trx: Db,
  mail: CertificateMail,
  c: { award: AwardKind; title: string; userId: string; registryNumber: string; code: string; replaces?: string },
): Promise<void> {
  const user = await trx
    .selectFrom('users')
    .select(['email', 'first_name', 'middle_name'])
    .where('id', '=', c.userId)
    .executeTakeFirst();
  if (!user || !hasRealEmail(user.email)) return;
  const what = `${AWARD_LABELS[c.award]} № ${c.registryNumber} («${c.title}»)`;
  await enqueueMail(
    trx,
    {
      to: user.email,
      subject: c.replaces
        ? `Ваш наградной документ заменён: ${AWARD_LABELS[c.award]}`
        : `Вам выдан наградной документ: ${AWARD_LABELS[c.award]}`,
      text:
        [
          greeting({ firstName: user.first_name, middleName: user.middle_name }),
          '',
          c.replaces
            ? `Взамен документа № ${c.replaces} вам выдан новый: ${what}. Прежний документ больше не действителен.`
            : `Вам выдан документ: ${what}.`,
          `Скачать его (PDF) можно в личном кабинете после входа: ${mail.publicUrl}/account`,
          `Проверить подлинность: ${verifyUrl(mail.publicUrl, c.code)}`,
        ].join('\n') + MAIL_FOOTER,
    },
    { deliver: mail.deliver },
  );
}

/**
 * Issues the award to every recipient who does not hold a valid one yet, with the wording frozen as it is now.
 * Idempotent: recipients who already have it are left alone. Returns how many were issued now.
 */
export async function issueCertificates(
  db: Db,
  input: {
    event: EventRef;
    award: AwardKind;
    recipients: Recipient[];
    issuedBy: string | null;
    now: Date;
    mail?: CertificateMail | null;
  },
): Promise<{ issued: number; alreadyIssued: number }> {
  return db.transaction().execute(async (trx) => {
    const ctx = await issueContext(trx, input.event, input.award, input.now);
    let issued = 0;
    const seen = new Set<string>();
    for (const r of input.recipients) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      if (await issueOne(trx, ctx, r, input.issuedBy, input.mail ?? null)) issued++;
    }
    return { issued, alreadyIssued: input.recipients.length - issued };
  });
}

function query(db: Db) {
  return db
    .selectFrom('certificates')
    .leftJoin('contests', 'contests.id', 'certificates.contest_id')
    .leftJoin('olympiads', 'olympiads.id', 'certificates.olympiad_id')
    .leftJoin('certificates as replacement', 'replacement.id', 'certificates.replaced_by')
    .select([
      'certificates.id',
      'certificates.registry_number',
      'certificates.code',
      'certificates.award',
      'certificates.recipient_user_id',
      'certificates.recipient_key',
      'certificates.recipient_name',
      'certificates.printed_name',
      'certificates.issuer',
      'certificates.title',
      'certificates.subtitle',
      'certificates.lead',
      'certificates.body',
      'certificates.orientation',
      'certificates.signatories',
      'certificates.place',
      'certificates.issued_on',
      'certificates.issued_at',
      'certificates.revoked_at',
      'certificates.revoke_reason',
      'certificates.contest_id',
      'certificates.olympiad_id',
      'certificates.logo_file_id',
      'certificates.signature_file_id',
      'certificates.replaced_by',
      'replacement.issued_on as replaced_on',
      sql<string>`coalesce(contests.title, olympiads.title)`.as('event_title'),
      sql<boolean>`coalesce(contests.results_published_at, olympiads.results_published_at) is not null`.as(
        'results_published',
      ),
    ]);
}

export type CertificateRow = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;
export const findCertificate = (db: Db, id: string) => query(db).where('certificates.id', '=', id).executeTakeFirst();
export const findCertificateByCode = (db: Db, code: string) =>
  query(db).where('certificates.code', '=', code).executeTakeFirst();
export const certificatesOfUser = (db: Db, userId: string) =>
  query(db).where('certificates.recipient_user_id', '=', userId).orderBy('certificates.issued_at', 'desc').execute();

export function listCertificates(db: Db, event: EventRef) {
  const { column, id } = eventWhere(event);
  return query(db).where(`certificates.${column}`, '=', id).orderBy('certificates.registry_number').execute();
}

/** The columns a printed certificate shows (toView). */
const PRINTED = [
  'id',
  'registry_number',
  'code',
  'issuer',
  'title',
  'subtitle',
  'lead',
  'recipient_name',
  'printed_name',
  'body',
  'orientation',
  'signatories',
  'place',
  'issued_on',
  'logo_file_id',
  'signature_file_id',
] as const;
export type PrintedRow = Pick<CertificateRow, (typeof PRINTED)[number]>;
const PAGE = 200;

/** The ids of an event's valid certificates in print (registry) order: one statement, read once. */
export function printingOrder(db: Db, event: EventRef) {
  const { column, id } = eventWhere(event);
  return db
    .selectFrom('certificates')
    .select('id')
    .where(column, '=', id)
    .where('revoked_at', 'is', null)
    .orderBy('registry_number');
}

/**
 * One page of certificates to print, by id: a primary-key lookup of each, which no table statistics can spoil. No
 * `revoked_at is null` here: with it, stale statistics made PostgreSQL walk the whole partial index certificates_once
 * for every page instead; a row revoked since the order was read is left out by certificatesForPrinting.
 */
export const printingPage = (db: Db, ids: string[]) =>
  db
    .selectFrom('certificates')
    .select([...PRINTED, 'revoked_at'])
    .where('id', '=', sql<string>`any(${ids}::uuid[])`);

/**
 * Rows of an event for printing, 200 at a time so that a batch of any size takes about the same memory (the ids,
 * 16 bytes each, are read first). Not a keyset page (`registry_number > $1 order by … limit 200`) as before: right
 * after a bench or a cleanup deleted many rows, with the statistics stale, PostgreSQL planned that page badly and
 * 10,000 certificates took 60–70 s instead of 9 (README, «Benchmarks»). Reading the order once and then each page by
 * its ids costs one sort and primary-key lookups, whatever state the table is in.
 */
export async function* certificatesForPrinting(db: Db, event: EventRef): AsyncGenerator<PrintedRow> {
  const ids = (await printingOrder(db, event).execute()).map((r) => r.id);
  for (let i = 0; i < ids.length; i += PAGE) {
    const slice = ids.slice(i, i + PAGE);
    const byId = new Map((await printingPage(db, slice).execute()).map((r) => [r.id, r]));
    // A certificate revoked since the order was read is left out, as the keyset pages left it out.
    for (const id of slice) {
      const row = byId.get(id);
      if (row && !row.revoked_at) yield row;
    }
  }
}

export function verifyUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/verify/${code}`;
}

export function toView(row: PrintedRow, publicUrl: string): CertificateView {
  return {
    issuer: row.issuer,
    title: row.title,
    subtitle: row.subtitle,
    lead: row.lead,
    recipientName: row.printed_name || row.recipient_name,
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

export async function revokeCertificate(
  db: Db,
  id: string,
  reason: string,
  actorId: string,
  ip: string | null,
  now: Date,
): Promise<CertificateRow> {
  return db.transaction().execute(async (trx) => {
    await revokeIn(trx, id, reason, actorId, ip, now);
    return (await findCertificate(trx, id))!;
  });
}

/** Revokes inside the caller's transaction (reconciling revokes many in one). */
export async function revokeIn(
  trx: Db,
  id: string,
  reason: string,
  actorId: string | null,
  ip: string | null,
  now: Date,
): Promise<void> {
  const before = await trx
    .selectFrom('certificates')
    .select(['id', 'revoked_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw new AppError('not_found', 'Наградной документ не найден.');
  if (before.revoked_at) throw new AppError('already_revoked', 'Этот документ уже отозван.');
  await trx
    .updateTable('certificates')
    .set({ revoked_at: now, revoked_by: actorId, revoke_reason: reason })
    .where('id', '=', id)
    .execute();
  await recordAudit(trx, {
    actorId,
    action: 'certificate.revoke',
    entity: 'certificate',
    entityId: id,
    before: { revoked: false },
    after: { revoked: true, reason },
    ip,
  });
}

export const awardLabel = (award: AwardKind) => AWARD_LABELS[award];
