import { sql, type ApplicationStatus, type Db } from '@konkurs/db';
import { AppError, notFound } from '../../http/errors.ts';
import { escapeLike } from '../../lib/like.ts';
import { moscowDateTime, moscowIsoDate, moscowYear } from '../../lib/moscow.ts';
import { juryMembership } from '../jury/members/membership.ts';
import { recordAudit } from '../audit/service.ts';
import { fullName } from '../auth/present.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { answerProblem, checkAnswers, normalizeAnswers, type Answers, type FormField } from '../forms/definition.ts';
import { currentForm } from '../forms/service.ts';
import { letterText } from '../mail/letter.ts';
import { enqueueMail } from '../mail/outbox.ts';
import {
  canTransition,
  effectiveDeadline,
  formatRegistrationNumber,
  isBeforeDeadline,
  isEditable,
  STATUS_LABELS,
  TRANSITIONS,
  type ApplicationAction,
} from './lifecycle.ts';
import {
  MAX_ANSWER_CHARS,
  type ApplicationListItem,
  type ApplicationView,
  type ContestApplicationsQuery,
} from './schemas.ts';

export interface Ctx {
  db: Db;
  now: Date;
  ip: string;
  /** Whether mail is to be delivered (SMTP_URL set) or only kept in the outbox. */
  deliverMail: boolean;
  publicUrl: string;
}

/** The answer of this form field is used to filter applications by municipality. */
export const MUNICIPALITY_FIELD = 'municipality';

const isOrganizer = (u: SessionUser) => u.roles.includes('organizer');

async function loadRow(db: Db, id: string, lock = false) {
  let q = db
    .selectFrom('applications as a')
    .innerJoin('contests as c', 'c.id', 'a.contest_id')
    .innerJoin('nominations as n', 'n.id', 'a.nomination_id')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .innerJoin('application_forms as f', 'f.id', 'a.form_id')
    .select([
      'a.id',
      'a.status',
      'a.answers',
      'a.registration_number',
      'a.extended_until',
      'a.submitted_at',
      'a.created_at',
      'a.updated_at',
      'a.applicant_id',
      'a.form_id',
      'a.contest_id',
      'a.nomination_id',
      'c.slug as contest_slug',
      'c.title as contest_title',
      'c.applications_open_at',
      'c.applications_close_at',
      'c.archived_at',
      'c.number_prefix',
      'n.title as nomination_title',
      'f.version as form_version',
      'f.fields as form_fields',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'u.email',
    ])
    .where('a.id', '=', id);
  if (lock) q = q.forUpdate(['a']);
  return q.executeTakeFirst();
}
type Row = NonNullable<Awaited<ReturnType<typeof loadRow>>>;

/**
 * The application if this user may see it: its applicant or an organizer. Anyone else gets the same
 * "not found" as for an application that does not exist, so ids cannot be probed.
 */
async function rowFor(db: Db, id: string, user: SessionUser, lock = false): Promise<Row> {
  const row = await loadRow(db, id, lock);
  if (!row || (row.applicant_id !== user.id && !isOrganizer(user))) throw notFound('Заявка не найдена.');
  return row;
}

function ownRow(row: Row, user: SessionUser): void {
  if (row.applicant_id !== user.id) throw new AppError('forbidden', 'Изменять заявку может только её автор.');
}

const applicantName = (r: { last_name: string; first_name: string; middle_name: string | null }) =>
  fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name });

async function fileCounts(db: Db, applicationId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('application_files')
    .select(['field_key', sql<number>`count(*)::int`.as('n')])
    .where('application_id', '=', applicationId)
    .groupBy('field_key')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.field_key, r.n]));
}

export async function applicationView(db: Db, row: Row, user: SessionUser, now: Date): Promise<ApplicationView> {
  const fields = row.form_fields as FormField[];
  const [files, history] = await Promise.all([
    db
      .selectFrom('application_files as af')
      .innerJoin('stored_files as s', 's.id', 'af.file_id')
      .select(['s.id', 'af.field_key', 's.original_name', 's.mime_type', 's.size_bytes', 's.created_at'])
      .where('af.application_id', '=', row.id)
      .orderBy('s.created_at')
      .execute(),
    db
      .selectFrom('application_status_history as h')
      .leftJoin('users as u', 'u.id', 'h.actor_id')
      .select([
        'h.from_status',
        'h.to_status',
        'h.at',
        'h.comment',
        'h.actor_id',
        'u.last_name',
        'u.first_name',
        'u.middle_name',
      ])
      .where('h.application_id', '=', row.id)
      .orderBy('h.id')
      .execute(),
  ]);
  const counts: Record<string, number> = {};
  for (const f of files) counts[f.field_key] = (counts[f.field_key] ?? 0) + 1;
  const answers = row.answers as Answers;
  const { errors, missing } = checkAnswers(fields, answers, counts, moscowIsoDate(now));
  const own = row.applicant_id === user.id;
  const open =
    isBeforeDeadline(now, row.applications_open_at, row.applications_close_at, row.extended_until) && !row.archived_at;
  const lastReturn = [...history].reverse().find((h) => h.to_status === 'returned');
  return {
    id: row.id,
    status: row.status,
    registrationNumber: row.registration_number,
    contest: { id: row.contest_id, slug: row.contest_slug, title: row.contest_title },
    nomination: { id: row.nomination_id, title: row.nomination_title },
    applicant: { id: row.applicant_id, fullName: applicantName(row), email: row.email },
    form: { id: row.form_id, version: row.form_version, fields },
    answers,
    files: files.map((f) => ({
      id: f.id,
      fieldKey: f.field_key,
      name: f.original_name,
      mimeType: f.mime_type,
      size: Number(f.size_bytes),
      createdAt: f.created_at.toISOString(),
    })),
    history: history.map((h) => ({
      from: h.from_status,
      to: h.to_status,
      at: h.at.toISOString(),
      comment: h.comment,
      actor: h.last_name
        ? applicantName({ last_name: h.last_name, first_name: h.first_name!, middle_name: h.middle_name })
        : null,
      actorRole: h.actor_id === null ? null : h.actor_id === row.applicant_id ? 'applicant' : 'organizer',
    })),
    returnComment: row.status === 'returned' ? (lastReturn?.comment ?? null) : null,
    deadline: effectiveDeadline(row.applications_close_at, row.extended_until).toISOString(),
    extendedUntil: row.extended_until ? row.extended_until.toISOString() : null,
    submittedAt: row.submitted_at ? row.submitted_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    errors,
    missing,
    can: {
      edit: own && isEditable(row.status) && open,
      submit: own && canTransition(row.status, 'submit') && open,
      withdraw: own && canTransition(row.status, 'withdraw'),
      decide: isOrganizer(user) && row.status === 'submitted',
    },
  };
}

export async function getApplication(ctx: Ctx, id: string, user: SessionUser): Promise<ApplicationView> {
  return applicationView(ctx.db, await rowFor(ctx.db, id, user), user, ctx.now);
}

const closedError = (deadline: Date) =>
  new AppError(
    'deadline_passed',
    `Приём заявок закрыт: срок истёк ${moscowDateTime(deadline)} (МСК). Продлить срок может организатор конкурса.`,
  );

async function addHistory(
  db: Db,
  applicationId: string,
  from: ApplicationStatus | null,
  to: ApplicationStatus,
  actorId: string,
  comment: string | null,
) {
  await db
    .insertInto('application_status_history')
    .values({ application_id: applicationId, from_status: from, to_status: to, actor_id: actorId, comment })
    .execute();
}

export async function createApplication(ctx: Ctx, user: SessionUser, nominationId: string): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const nomination = await trx
      .selectFrom('nominations as n')
      .innerJoin('contests as c', 'c.id', 'n.contest_id')
      .select([
        'n.id',
        'n.contest_id',
        'c.applications_open_at',
        'c.applications_close_at',
        'c.archived_at',
        'c.published_at',
        'c.multiple_per_nomination',
      ])
      .where('n.id', '=', nominationId)
      .executeTakeFirst();
    // A draft contest is not there for applicants, as an archived one is not.
    if (!nomination || nomination.archived_at || !nomination.published_at)
      throw new AppError('not_found', 'Номинация не найдена.', { nominationId: 'Номинация не найдена.' });
    if (ctx.now < nomination.applications_open_at)
      throw new AppError(
        'not_open',
        `Приём заявок ещё не начался: он откроется ${moscowDateTime(nomination.applications_open_at)} (МСК).`,
      );
    if (ctx.now >= nomination.applications_close_at) throw closedError(nomination.applications_close_at);
    // Serializes the start of applications by one person, so two quick clicks make one draft.
    await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().execute();
    if (await juryMembership(trx, nomination.contest_id, user.id))
      throw new AppError(
        'jury_member',
        'Вы в жюри этого конкурса: член жюри не может подать на него заявку. Если вы хотите участвовать, а не судить, попросите организатора исключить вас из жюри.',
      );
    if (!nomination.multiple_per_nomination) {
      const existing = await trx
        .selectFrom('applications')
        .select(['id'])
        .where('applicant_id', '=', user.id)
        .where('nomination_id', '=', nominationId)
        .where('status', '!=', 'withdrawn')
        .executeTakeFirst();
      if (existing) {
        throw new AppError(
          'already_applied',
          'У вас уже есть заявка в этой номинации. Откройте её в разделе «Мои заявки».',
          { applicationId: existing.id },
        );
      }
    }
    const form = await currentForm(trx, nomination.contest_id, nominationId);
    if (!form) throw new AppError('no_form', 'У конкурса ещё нет формы заявки. Обратитесь к организатору.');
    const created = await trx
      .insertInto('applications')
      .values({
        contest_id: nomination.contest_id,
        nomination_id: nominationId,
        applicant_id: user.id,
        form_id: form.id,
        status: 'draft',
        answers: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addHistory(trx, created.id, null, 'draft', user.id, null);
    await recordAudit(trx, {
      actorId: user.id,
      action: 'application.create',
      entity: 'application',
      entityId: created.id,
      after: { status: 'draft', nominationId, formId: form.id },
      ip: ctx.ip,
    });
    return created.id;
  });
}

function assertEditable(row: Row, now: Date): void {
  if (!isEditable(row.status)) {
    throw new AppError('not_editable', `Заявку в статусе «${STATUS_LABELS[row.status]}» изменить нельзя.`);
  }
  if (
    row.archived_at ||
    !isBeforeDeadline(now, row.applications_open_at, row.applications_close_at, row.extended_until)
  ) {
    throw closedError(effectiveDeadline(row.applications_close_at, row.extended_until));
  }
}

/**
 * Saves a draft: the answers of the form's fields, incomplete ones too (what is missing is checked on submission).
 * An answer filled in wrongly («около тысячи» for a number, a founding date in the future) is refused at its field:
 * the draft keeps what it held for that field, the other answers are saved. Returns the refused ones, by field key.
 */
export async function saveAnswers(
  ctx: Ctx,
  id: string,
  user: SessionUser,
  answers: Answers,
): Promise<Record<string, string>> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await rowFor(trx, id, user, true);
    ownRow(row, user);
    assertEditable(row, ctx.now);
    const fields = row.form_fields as FormField[];
    const malformed = Object.entries(answers)
      .filter(([, v]) => !isAnswerShape(v))
      .map(([k]) => k);
    if (malformed.length) {
      throw new AppError(
        'validation',
        'Ответы переданы в неверном виде. Обновите страницу.',
        Object.fromEntries(malformed.map((k) => [k, 'Ответ в неверном виде.'])),
      );
    }
    const normalized = normalizeAnswers(fields, answers);
    const known = new Set(fields.filter((f) => f.kind !== 'file').map((f) => f.key));
    const stray = Object.keys(normalized).filter((k) => !known.has(k));
    if (stray.length)
      throw new AppError(
        'validation',
        `В форме заявки нет полей: ${stray.join(', ')}. Обновите страницу.`,
        Object.fromEntries(stray.map((k) => [k, 'Такого поля в форме нет.'])),
      );
    const multi = new Set(fields.filter((f) => f.kind === 'multichoice').map((f) => f.key));
    const wrongShape = Object.entries(normalized)
      .filter(([k, v]) => multi.has(k) !== Array.isArray(v))
      .map(([k]) => k);
    if (wrongShape.length) {
      const labels = fields.filter((f) => wrongShape.includes(f.key)).map((f) => `«${f.label}»`);
      throw new AppError(
        'validation',
        `Поле ${labels[0]} заполнено неверно.`,
        Object.fromEntries(wrongShape.map((k) => [k, 'Поле заполнено неверно.'])),
      );
    }
    const today = moscowIsoDate(ctx.now);
    const stored = row.answers as Answers;
    const refused: Record<string, string> = {};
    for (const f of fields) {
      const problem = normalized[f.key] === undefined ? null : answerProblem(f, normalized[f.key], 0, today);
      if (!problem) continue;
      refused[f.key] = problem;
      if (stored[f.key] === undefined) delete normalized[f.key];
      else normalized[f.key] = stored[f.key];
    }
    if (JSON.stringify(normalized) === JSON.stringify(row.answers)) return refused;
    await trx
      .updateTable('applications')
      .set({ answers: JSON.stringify(normalized), updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      actorId: user.id,
      action: 'application.answers.save',
      entity: 'application',
      entityId: id,
      before: row.answers,
      after: normalized,
      ip: ctx.ip,
    });
    return refused;
  });
}

/** A text, or a list of short texts; sizes bounded so that no request can store a huge answer. */
function isAnswerShape(v: unknown): v is string | string[] {
  if (typeof v === 'string') return v.length <= MAX_ANSWER_CHARS;
  return Array.isArray(v) && v.length <= 500 && v.every((x) => typeof x === 'string' && x.length <= 300);
}

/** The last paragraph of a letter about an application: where to read it. */
function applicationLink(ctx: Ctx, id: string): string {
  return `Заявка: ${ctx.publicUrl}/applications/${id}`;
}

const applicant = (row: { first_name: string; middle_name: string | null }) => ({
  firstName: row.first_name,
  middleName: row.middle_name,
});

export async function submitApplication(ctx: Ctx, id: string, user: SessionUser): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await rowFor(trx, id, user, true);
    ownRow(row, user);
    if (!canTransition(row.status, 'submit'))
      throw new AppError('not_editable', `Заявку в статусе «${STATUS_LABELS[row.status]}» подать нельзя.`);
    assertEditable(row, ctx.now);
    const fields = row.form_fields as FormField[];
    const { errors, missing } = checkAnswers(
      fields,
      row.answers as Answers,
      await fileCounts(trx, id),
      moscowIsoDate(ctx.now),
    );
    // In the form's order, every one of them: the page lists them all, each a link to its field.
    const problems = Object.fromEntries(
      fields.flatMap((f) => {
        const problem = errors[f.key] ?? missing[f.key];
        return problem ? [[f.key, problem]] : [];
      }),
    );
    if (errors._) problems._ = errors._;
    const count = Object.keys(problems).length;
    if (count) {
      throw new AppError(
        'incomplete',
        `Заявка не подана: исправьте ${count === 1 ? 'поле' : `поля (${count})`}.`,
        problems,
      );
    }
    let number = row.registration_number;
    if (!number) {
      // One counter per prefix and year for the whole organisation: two contests with the prefix ТОС closing in 2026
      // share it. The upsert takes the counter's row lock, so concurrent submissions get consecutive numbers; the
      // unique index on registration_number is the last guard.
      const prefix = row.number_prefix;
      const year = moscowYear(row.applications_close_at);
      const counter = await trx
        .insertInto('registration_counters')
        .values({ prefix, year, last_number: 1 })
        .onConflict((oc) =>
          oc
            .columns(['prefix', 'year'])
            .doUpdateSet((eb) => ({ last_number: eb('registration_counters.last_number', '+', 1) })),
        )
        .returning('last_number')
        .executeTakeFirstOrThrow();
      number = formatRegistrationNumber(prefix, year, counter.last_number);
    }
    await trx
      .updateTable('applications')
      .set({ status: 'submitted', registration_number: number, submitted_at: ctx.now, updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    // 152-ФЗ: the exact text of each consent in the form, with the time and the person.
    for (const f of fields.filter((f) => f.kind === 'consent')) {
      await trx
        .insertInto('consents')
        .values({
          user_id: user.id,
          purpose: `application:${id}:${f.key}`,
          text_version: `form:${row.form_id}`,
          text: f.consentText ?? f.label,
          ip: ctx.ip,
        })
        .execute();
    }
    await addHistory(trx, id, row.status, 'submitted', user.id, null);
    await recordAudit(trx, {
      actorId: user.id,
      action: 'application.submit',
      entity: 'application',
      entityId: id,
      before: { status: row.status },
      after: { status: 'submitted', registrationNumber: number },
      ip: ctx.ip,
    });
    await enqueueMail(
      trx,
      {
        to: row.email,
        subject: `Заявка ${number} подана`,
        text: letterText(applicant(row), [
          `Ваша заявка на конкурс «${row.contest_title}» в номинации «${row.nomination_title}» подана ${moscowDateTime(ctx.now)} (МСК). Регистрационный номер: ${number}.`,
          applicationLink(ctx, id),
        ]),
      },
      { deliver: ctx.deliverMail },
    );
  });
}

export async function withdrawApplication(
  ctx: Ctx,
  id: string,
  user: SessionUser,
  reason: string | undefined,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await rowFor(trx, id, user, true);
    ownRow(row, user);
    if (!canTransition(row.status, 'withdraw'))
      throw new AppError('invalid_status', `Заявку в статусе «${STATUS_LABELS[row.status]}» отозвать нельзя.`);
    await trx
      .updateTable('applications')
      .set({ status: 'withdrawn', updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    await addHistory(trx, id, row.status, 'withdrawn', user.id, reason?.trim() || null);
    await recordAudit(trx, {
      actorId: user.id,
      action: 'application.withdraw',
      entity: 'application',
      entityId: id,
      before: { status: row.status },
      after: { status: 'withdrawn', reason: reason ?? null },
      ip: ctx.ip,
    });
  });
}

const DECISION_MAIL: Record<'accept' | 'return' | 'reject', (n: string) => string> = {
  accept: (n) => `Заявка ${n} принята`,
  return: (n) => `Заявка ${n} возвращена на доработку`,
  reject: (n) => `Заявка ${n} отклонена`,
};

export async function decideApplication(
  ctx: Ctx,
  id: string,
  organizer: SessionUser,
  action: 'accept' | 'return' | 'reject',
  comment: string | undefined,
  extendUntil: string | null | undefined,
): Promise<void> {
  const text = comment?.trim() || null;
  if ((action === 'return' || action === 'reject') && !text) {
    throw new AppError(
      'validation',
      'Напишите комментарий: заявитель увидит, что исправить или почему заявка отклонена.',
      { comment: 'Напишите комментарий для заявителя.' },
    );
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = await rowFor(trx, id, organizer, true);
    if (!canTransition(row.status, action as ApplicationAction)) {
      throw new AppError(
        'invalid_status',
        `Заявку в статусе «${STATUS_LABELS[row.status]}» нельзя ${action === 'accept' ? 'принять' : action === 'return' ? 'вернуть' : 'отклонить'}.`,
      );
    }
    const to = TRANSITIONS[action].to;
    const extended = action === 'return' && extendUntil ? new Date(extendUntil) : row.extended_until;
    if (action === 'return' && extendUntil && !(new Date(extendUntil) > ctx.now)) {
      throw new AppError('validation', 'Новый срок должен быть позже текущего момента.', {
        extendUntil: 'Укажите срок в будущем.',
      });
    }
    await trx
      .updateTable('applications')
      .set({ status: to, extended_until: extended, updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    await addHistory(trx, id, row.status, to, organizer.id, text);
    await recordAudit(trx, {
      actorId: organizer.id,
      action: `application.${action}`,
      entity: 'application',
      entityId: id,
      before: { status: row.status, extendedUntil: row.extended_until },
      after: { status: to, comment: text, extendedUntil: extended },
      ip: ctx.ip,
    });
    const deadline = effectiveDeadline(row.applications_close_at, extended);
    const paragraphs = [
      `Статус вашей заявки ${row.registration_number} на конкурс «${row.contest_title}»: ${STATUS_LABELS[to].toLowerCase()}.`,
    ];
    if (text) paragraphs.push(`Комментарий организатора: ${text}`);
    if (action === 'return')
      paragraphs.push(`Исправьте заявку и подайте её снова до ${moscowDateTime(deadline)} (МСК).`);
    paragraphs.push(applicationLink(ctx, id));
    await enqueueMail(
      trx,
      {
        to: row.email,
        subject: DECISION_MAIL[action](row.registration_number ?? ''),
        text: letterText(applicant(row), paragraphs),
      },
      { deliver: ctx.deliverMail },
    );
  });
}

/** An individual deadline means something only while the applicant may still submit (or resubmit) the application. */
const EXTENDABLE: readonly ApplicationStatus[] = ['draft', 'submitted', 'returned'];

export async function setExtension(ctx: Ctx, id: string, organizer: SessionUser, until: string | null): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await rowFor(trx, id, organizer, true);
    if (!EXTENDABLE.includes(row.status))
      throw new AppError(
        'not_extendable',
        `Продлить срок заявки в статусе «${STATUS_LABELS[row.status]}» нельзя: продлевают срок черновику, поданной заявке или возвращённой на доработку.`,
        { until: 'Для заявки в этом статусе срок не продлевается.' },
      );
    const value = until ? new Date(until) : null;
    if (value && value <= row.applications_close_at) {
      throw new AppError('validation', 'Продлённый срок должен быть позже общего срока приёма заявок.', {
        until: 'Укажите срок позже окончания приёма заявок.',
      });
    }
    await trx
      .updateTable('applications')
      .set({ extended_until: value, updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      actorId: organizer.id,
      action: 'application.extension',
      entity: 'application',
      entityId: id,
      before: { extendedUntil: row.extended_until },
      after: { extendedUntil: value },
      ip: ctx.ip,
    });
    if (value) {
      await enqueueMail(
        trx,
        {
          to: row.email,
          subject: `Срок подачи заявки продлён до ${moscowDateTime(value)}`,
          text: letterText(applicant(row), [
            `Организатор конкурса «${row.contest_title}» продлил для вас срок подачи заявки до ${moscowDateTime(value)} (МСК).`,
            applicationLink(ctx, id),
          ]),
        },
        { deliver: ctx.deliverMail },
      );
    }
  });
}

function listQuery(db: Db) {
  return db
    .selectFrom('applications as a')
    .innerJoin('contests as c', 'c.id', 'a.contest_id')
    .innerJoin('nominations as n', 'n.id', 'a.nomination_id')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .select([
      'a.id',
      'a.status',
      'a.registration_number',
      'a.submitted_at',
      'a.updated_at',
      'a.extended_until',
      'a.answers',
      'a.applicant_id',
      'a.contest_id',
      'a.nomination_id',
      'c.slug as contest_slug',
      'c.title as contest_title',
      'c.applications_close_at',
      'n.title as nomination_title',
      'n.position',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'u.email',
      sql<string | null>`a.answers->>${MUNICIPALITY_FIELD}`.as('municipality'),
    ]);
}
type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number];

/** The labels of the required answers still missing in each draft or returned application (for the organizer's list). */
async function missingByApplication(db: Db, rows: ListRow[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (!rows.length) return result;
  const ids = rows.map((r) => r.id);
  const [forms, files] = await Promise.all([
    db
      .selectFrom('applications as a')
      .innerJoin('application_forms as f', 'f.id', 'a.form_id')
      .select(['a.id', 'f.fields'])
      .where('a.id', 'in', ids)
      .execute(),
    db
      .selectFrom('application_files')
      .select(['application_id', 'field_key', sql<number>`count(*)::int`.as('n')])
      .where('application_id', 'in', ids)
      .groupBy(['application_id', 'field_key'])
      .execute(),
  ]);
  const fieldsOf = new Map(forms.map((f) => [f.id, f.fields as FormField[]]));
  for (const r of rows) {
    const fields = fieldsOf.get(r.id) ?? [];
    const counts = Object.fromEntries(files.filter((f) => f.application_id === r.id).map((f) => [f.field_key, f.n]));
    const { missing } = checkAnswers(fields, r.answers as Answers, counts);
    result.set(
      r.id,
      fields.filter((f) => f.key in missing).map((f) => f.label),
    );
  }
  return result;
}

function listItem(r: ListRow): ApplicationListItem {
  return {
    id: r.id,
    status: r.status,
    registrationNumber: r.registration_number,
    contest: { id: r.contest_id, slug: r.contest_slug, title: r.contest_title },
    nomination: { id: r.nomination_id, title: r.nomination_title },
    applicant: { id: r.applicant_id, fullName: applicantName(r), email: r.email },
    municipality: r.municipality,
    deadline: effectiveDeadline(r.applications_close_at, r.extended_until).toISOString(),
    submittedAt: r.submitted_at ? r.submitted_at.toISOString() : null,
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function myApplications(db: Db, user: SessionUser): Promise<ApplicationListItem[]> {
  const rows = await listQuery(db).where('a.applicant_id', '=', user.id).orderBy('a.created_at', 'desc').execute();
  return rows.map(listItem);
}

/**
 * The organizer's list, drafts included (an organizer extends a draft's deadline, and sees what it lacks); the export
 * leaves drafts out unless they are asked for (`withDrafts`). `q` finds a part of the applicant's name, the
 * registration number or the e-mail, in any case.
 */
export async function contestApplications(
  db: Db,
  contestId: string,
  filters: ContestApplicationsQuery,
  options: { withDrafts: boolean } = { withDrafts: true },
) {
  let q = listQuery(db).where('a.contest_id', '=', contestId);
  if (!options.withDrafts && filters.status !== 'draft') q = q.where('a.status', '!=', 'draft');
  if (filters.nominationId) q = q.where('a.nomination_id', '=', filters.nominationId);
  if (filters.status) q = q.where('a.status', '=', filters.status);
  if (filters.municipality) q = q.where(sql<string>`a.answers->>${MUNICIPALITY_FIELD}`, '=', filters.municipality);
  const search = filters.q?.trim();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    const name = sql<string>`concat_ws(' ', u.last_name, u.first_name, u.middle_name)`;
    q = q.where((eb) =>
      eb.or([
        eb(name, 'ilike', pattern),
        eb(sql<string>`concat_ws(' ', u.first_name, u.middle_name, u.last_name)`, 'ilike', pattern),
        eb('a.registration_number', 'ilike', pattern),
        eb('u.email', 'ilike', pattern),
      ]),
    );
  }
  const [rows, byStatus, byNomination, municipalities] = await Promise.all([
    q.orderBy('n.position').orderBy('a.registration_number').orderBy('a.created_at').orderBy('a.id').execute(),
    db
      .selectFrom('applications')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('contest_id', '=', contestId)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('applications')
      .select(['nomination_id', sql<number>`count(*)::int`.as('n')])
      .where('contest_id', '=', contestId)
      .where('status', 'not in', ['draft', 'withdrawn'])
      .groupBy('nomination_id')
      .execute(),
    db
      .selectFrom('applications')
      .select(sql<string>`answers->>${MUNICIPALITY_FIELD}`.as('m'))
      .distinct()
      .where('contest_id', '=', contestId)
      .where('status', '!=', 'draft')
      .where(sql`answers->>${MUNICIPALITY_FIELD}`, 'is not', null)
      .execute(),
  ]);
  const missing = await missingByApplication(
    db,
    rows.filter((r) => isEditable(r.status)),
  );
  return {
    rows,
    items: rows.map((r) => ({ ...listItem(r), missing: missing.get(r.id) ?? [] })),
    counts: {
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      byNomination: Object.fromEntries(byNomination.map((r) => [r.nomination_id, r.n])),
    },
    municipalities: municipalities.map((m) => m.m).sort((a, b) => a.localeCompare(b, 'ru')),
  };
}
