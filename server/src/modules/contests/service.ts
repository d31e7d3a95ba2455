import { sql, type Db } from '@konkurs/db';
import { AppError, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { contestPhase } from '../events/service.ts';
import { addFormVersion, defaultFormFields } from '../forms/service.ts';
import type { FormField } from '../forms/definition.ts';
import type { ContestBody, ContestCreateBody, ContestDetail, CopyBody } from './schemas.ts';
import { copyCertificateSettings } from '../certificates/copy.ts';
import { freeSlug, slugFromTitle } from '../../lib/slug.ts';

type ContestRow = Awaited<ReturnType<typeof loadContestRow>>;

async function loadContestRow(db: Db, where: { id?: string; slug?: string }) {
  let q = db.selectFrom('contests').selectAll();
  if (where.id) q = q.where('id', '=', where.id);
  if (where.slug) q = q.where('slug', '=', where.slug);
  return q.executeTakeFirst();
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function contestDetail(db: Db, row: NonNullable<ContestRow>, now = new Date()): Promise<ContestDetail> {
  const [nominations, file] = await Promise.all([
    db
      .selectFrom('nominations')
      .select(['id', 'title'])
      .where('contest_id', '=', row.id)
      .orderBy('position')
      .orderBy('title')
      .execute(),
    row.rules_file_id
      ? db
          .selectFrom('stored_files')
          .select(['id', 'original_name', 'size_bytes'])
          .where('id', '=', row.rules_file_id)
          .executeTakeFirst()
      : undefined,
  ]);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    rulesMarkdown: row.rules_markdown,
    rulesFile: file ? { id: file.id, name: file.original_name, size: Number(file.size_bytes) } : null,
    phase: contestPhase(row, now),
    applicationsOpenAt: row.applications_open_at.toISOString(),
    applicationsCloseAt: row.applications_close_at.toISOString(),
    reviewEndAt: row.review_end_at.toISOString(),
    resultsAt: iso(row.results_at),
    resultsPublishedAt: iso(row.results_published_at),
    archivedAt: iso(row.archived_at),
    publishedAt: iso(row.published_at),
    numberPrefix: row.number_prefix,
    multiplePerNomination: row.multiple_per_nomination,
    juryBlind: row.jury_blind,
    nominations,
  };
}

/**
 * A contest by its slug for everyone; archived ones and unpublished drafts only for organizers (`includeArchived`:
 * the caller is an organizer). Others get the same 404 as for a slug that does not exist.
 */
export async function findContest(
  db: Db,
  where: { id?: string; slug?: string },
  options: { includeArchived: boolean },
) {
  const row = await loadContestRow(db, where);
  if (!row || ((row.archived_at || !row.published_at) && !options.includeArchived))
    throw notFound('Конкурс не найден.');
  return row;
}

/** Checks what JSON schema cannot: the order of the dates and unique nomination titles. */
function checkContestBody(body: ContestBody): void {
  const fields: Record<string, string> = {};
  const open = new Date(body.applicationsOpenAt);
  const close = new Date(body.applicationsCloseAt);
  const review = new Date(body.reviewEndAt);
  if (!(open < close)) fields.applicationsCloseAt = 'Окончание приёма заявок должно быть позже его начала.';
  if (!(close <= review)) fields.reviewEndAt = 'Работа жюри не может закончиться раньше окончания приёма заявок.';
  if (body.resultsAt && new Date(body.resultsAt) < review)
    fields.resultsAt = 'Итоги объявляются не раньше окончания работы жюри.';
  const titles = body.nominations.map((n) => n.title.trim().toLowerCase());
  if (new Set(titles).size !== titles.length) fields.nominations = 'Названия номинаций не должны повторяться.';
  const first = Object.values(fields)[0];
  if (first) throw new AppError('validation', `Проверьте введённые данные. ${first}`, fields);
}

const slugTaken = () =>
  new AppError('slug_taken', 'Такой адрес страницы уже занят другим конкурсом. Укажите другой.', {
    slug: 'Этот адрес уже занят.',
  });

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

function contestValues(body: ContestBody) {
  return {
    title: body.title.trim(),
    ...(body.slug ? { slug: body.slug } : {}),
    description: body.description.trim(),
    rules_markdown: body.rulesMarkdown,
    applications_open_at: body.applicationsOpenAt,
    applications_close_at: body.applicationsCloseAt,
    review_end_at: body.reviewEndAt,
    results_at: body.resultsAt,
    number_prefix: body.numberPrefix,
    multiple_per_nomination: body.multiplePerNomination,
  };
}

export interface Actor {
  id: string;
  ip: string;
}

/**
 * Inserts a contest under the slug asked for (taken: 409), or under one made from the title, trying the next free one
 * when two organizers take the same at once (the unique index decides).
 */
async function withSlug<T>(
  db: Db,
  asked: string | undefined,
  title: string,
  insert: (trx: Db, slug: string) => Promise<T>,
): Promise<T> {
  const base = slugFromTitle(title, 'konkurs');
  for (let tries = 0; ; tries++) {
    try {
      return await db
        .transaction()
        .execute(async (trx) => insert(trx, asked ?? (await freeSlug(trx, 'contests', base))));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (asked || tries >= 5) throw slugTaken();
    }
  }
}

export async function createContest(db: Db, body: ContestCreateBody, actor: Actor): Promise<string> {
  checkContestBody(body);
  return withSlug(db, body.slug, body.title, async (trx, slug) => {
    const contest = await trx
      .insertInto('contests')
      .values({ ...contestValues(body), jury_blind: body.juryBlind, slug })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('nominations')
      .values(body.nominations.map((n, i) => ({ contest_id: contest.id, title: n.title.trim(), position: i + 1 })))
      .execute();
    await addFormVersion(trx, contest.id, null, defaultFormFields(), actor.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'contest.create',
      entity: 'contest',
      entityId: contest.id,
      after: { ...body, slug },
      ip: actor.ip,
    });
    return contest.id;
  });
}

export async function updateContest(db: Db, id: string, body: ContestBody, actor: Actor): Promise<void> {
  checkContestBody(body);
  try {
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('contests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound('Конкурс не найден.');
      const existing = await trx
        .selectFrom('nominations')
        .select(['id', 'title'])
        .where('contest_id', '=', id)
        .execute();
      const keep = new Set(body.nominations.map((n) => n.id).filter(Boolean));
      for (const n of body.nominations) {
        if (n.id && !existing.some((e) => e.id === n.id))
          throw new AppError('validation', 'Номинация не принадлежит этому конкурсу. Обновите страницу.', {
            nominations: 'Номинация не найдена.',
          });
      }
      const removed = existing.filter((e) => !keep.has(e.id));
      if (removed.length) {
        const used = await trx
          .selectFrom('applications')
          .select('nomination_id')
          .where(
            'nomination_id',
            'in',
            removed.map((r) => r.id),
          )
          .limit(1)
          .executeTakeFirst();
        if (used) {
          const title = removed.find((r) => r.id === used.nomination_id)?.title;
          throw new AppError('nomination_in_use', `Номинацию «${title}» нельзя удалить: в ней есть заявки.`, {
            nominations: `В номинации «${title}» есть заявки.`,
          });
        }
        await trx
          .deleteFrom('nominations')
          .where(
            'id',
            'in',
            removed.map((r) => r.id),
          )
          .execute();
      }
      for (const [i, n] of body.nominations.entries()) {
        if (n.id)
          await trx
            .updateTable('nominations')
            .set({ title: n.title.trim(), position: i + 1 })
            .where('id', '=', n.id)
            .execute();
        else
          await trx
            .insertInto('nominations')
            .values({ contest_id: id, title: n.title.trim(), position: i + 1 })
            .execute();
      }
      await trx.updateTable('contests').set(contestValues(body)).where('id', '=', id).execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'contest.update',
        entity: 'contest',
        entityId: id,
        before: { ...before, nominations: existing },
        after: body,
        ip: actor.ip,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

/**
 * The copy's title: what the organizer typed, unless it is the original's own title (or nothing), which would make two
 * contests nobody can tell apart; then the original's title marked «(копия)» until the organizer edits it.
 */
export function copyTitle(sourceTitle: string, typed: string | undefined): string {
  const title = typed?.trim() ?? '';
  if (title && title !== sourceTitle.trim()) return title;
  return `${sourceTitle.trim()} (копия)`.slice(0, 300);
}

/** Copies a contest (e.g. last year's into this year's): text, nominations, current forms, dates moved by whole years. */
export async function copyContest(db: Db, id: string, body: CopyBody, actor: Actor): Promise<string> {
  const shift = (d: Date | null) => {
    if (!d) return null;
    const copy = new Date(d);
    copy.setUTCFullYear(copy.getUTCFullYear() + body.shiftYears);
    return copy;
  };
  const original = await db.selectFrom('contests').select('title').where('id', '=', id).executeTakeFirst();
  if (!original) throw notFound('Конкурс не найден.');
  const title = copyTitle(original.title, body.title);
  return withSlug(db, body.slug, title, async (trx, slug) => {
    const source = await trx.selectFrom('contests').selectAll().where('id', '=', id).executeTakeFirst();
    if (!source) throw notFound('Конкурс не найден.');
    const copy = await trx
      .insertInto('contests')
      .values({
        title,
        slug,
        description: source.description,
        rules_markdown: source.rules_markdown,
        rules_file_id: source.rules_file_id,
        applications_open_at: shift(source.applications_open_at)!,
        applications_close_at: shift(source.applications_close_at)!,
        review_end_at: shift(source.review_end_at)!,
        results_at: shift(source.results_at),
        number_prefix: source.number_prefix,
        multiple_per_nomination: source.multiple_per_nomination,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const nominations = await trx
      .selectFrom('nominations')
      .selectAll()
      .where('contest_id', '=', id)
      .orderBy('position')
      .execute();
    const map = new Map<string, string>();
    for (const n of nominations) {
      const created = await trx
        .insertInto('nominations')
        .values({ contest_id: copy.id, title: n.title, position: n.position })
        .returning('id')
        .executeTakeFirstOrThrow();
      map.set(n.id, created.id);
    }
    // The latest version of each form (contest-wide and per nomination) becomes version 1 of the copy.
    const forms = await trx
      .selectFrom('application_forms')
      .select(['nomination_id', 'fields', 'version'])
      .where('contest_id', '=', id)
      .orderBy('version', 'desc')
      .execute();
    const seen = new Set<string>();
    for (const f of forms) {
      const key = f.nomination_id ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      await addFormVersion(
        trx,
        copy.id,
        f.nomination_id ? (map.get(f.nomination_id) ?? null) : null,
        f.fields as FormField[],
        actor.id,
      );
    }
    await copyCertificateSettings(trx, { contestId: id }, { contestId: copy.id });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'contest.copy',
      entity: 'contest',
      entityId: copy.id,
      before: { sourceId: id },
      after: { ...body, title, slug },
      ip: actor.ip,
    });
    return copy.id;
  });
}

export async function setArchived(db: Db, id: string, archived: boolean, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('contests')
      .select(['archived_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('Конкурс не найден.');
    const archivedAt = archived ? (before.archived_at ?? new Date()) : null;
    await trx.updateTable('contests').set({ archived_at: archivedAt }).where('id', '=', id).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: archived ? 'contest.archive' : 'contest.unarchive',
      entity: 'contest',
      entityId: id,
      before: { archivedAt: before.archived_at },
      after: { archivedAt },
      ip: actor.ip,
    });
  });
}

/**
 * Publishes a draft (the public sees it, applicants may apply) or takes it back to a draft. Taking back is refused once
 * anyone has started an application: their drafts and submissions would point at a contest they can no longer see.
 */
export async function setPublished(db: Db, id: string, published: boolean, actor: Actor, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('contests')
      .select(['published_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('Конкурс не найден.');
    if (!published && before.published_at) {
      const any = await trx.selectFrom('applications').select('id').where('contest_id', '=', id).limit(1).execute();
      if (any.length)
        throw new AppError(
          'has_applications',
          'Снять конкурс с публикации нельзя: по нему уже начаты заявки. Чтобы скрыть его, отправьте его в архив.',
        );
    }
    const publishedAt = published ? (before.published_at ?? now) : null;
    if ((publishedAt?.getTime() ?? null) === (before.published_at?.getTime() ?? null)) return;
    await trx.updateTable('contests').set({ published_at: publishedAt }).where('id', '=', id).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: published ? 'contest.publish' : 'contest.unpublish',
      entity: 'contest',
      entityId: id,
      before: { publishedAt: before.published_at },
      after: { publishedAt },
      ip: actor.ip,
    });
  });
}

export async function listContestsForOrganizer(db: Db, now = new Date()) {
  const rows = await db
    .selectFrom('contests')
    .leftJoin('applications', 'applications.contest_id', 'contests.id')
    .select([
      'contests.id',
      'contests.slug',
      'contests.title',
      'contests.applications_open_at',
      'contests.applications_close_at',
      'contests.results_published_at',
      'contests.archived_at',
      'contests.published_at',
      sql<number>`count(applications.id) filter (where applications.status not in ('draft'))::int`.as('applications'),
      sql<number>`count(applications.id) filter (where applications.status = 'draft')::int`.as('drafts'),
    ])
    .groupBy('contests.id')
    .orderBy('contests.archived_at', (ob) => ob.desc().nullsFirst())
    .orderBy('contests.applications_close_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    phase: contestPhase(r, now),
    applicationsOpenAt: r.applications_open_at.toISOString(),
    applicationsCloseAt: r.applications_close_at.toISOString(),
    archivedAt: iso(r.archived_at),
    publishedAt: iso(r.published_at),
    applications: r.applications,
    drafts: r.drafts,
  }));
}
