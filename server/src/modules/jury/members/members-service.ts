import type { Db, Role } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { moscowDate } from '../../../lib/moscow.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { hashSecret, type SessionUser } from '../../auth/sessions.ts';
import { newToken } from '../../auth/tokens.ts';
import { findContest, type Actor } from '../../contests/service.ts';
import { letterText } from '../../mail/letter.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { juryMembership, refuseApplicant } from './membership.ts';
import type { Accepted, AddMemberBody, AddMemberResult, InvitationView, JuryResponse } from './setup-schemas.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const INVITATION_LIFETIME_MS = 14 * DAY_MS;

export interface JuryCtx {
  db: Db;
  now: Date;
  deliverMail: boolean;
  publicUrl: string;
}

/** Adds the juror role to an account that lacks it (the role opens the juror's pages). */
async function grantJurorRole(db: Db, userId: string, roles: Role[]): Promise<void> {
  if (roles.includes('juror')) return;
  await db
    .updateTable('users')
    .set({ roles: [...roles, 'juror'] })
    .where('id', '=', userId)
    .execute();
}

export async function listJury(db: Db, contestId: string, now: Date): Promise<JuryResponse> {
  await findContest(db, { id: contestId }, { includeArchived: true });
  const members = await db
    .selectFrom('jury_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.is_chair', 'm.municipality', 'u.email', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .select((eb) => [
      eb
        .selectFrom('jury_assignments as a')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('a.juror_id', '=', 'm.user_id')
        .where('a.contest_id', '=', contestId)
        .as('assigned'),
      eb
        .selectFrom('score_sheets as s')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('s.juror_id', '=', 'm.user_id')
        .where('s.contest_id', '=', contestId)
        .where('s.status', '=', 'submitted')
        .as('submitted'),
    ])
    .where('m.contest_id', '=', contestId)
    .orderBy('m.is_chair', 'desc')
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
  const invitations = await db
    .selectFrom('jury_invitations')
    .select(['id', 'email', 'municipality', 'created_at', 'expires_at'])
    .where('contest_id', '=', contestId)
    .where('accepted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return {
    members: members.map((m) => ({
      userId: m.user_id,
      email: m.email,
      isChair: m.is_chair,
      municipality: m.municipality,
      fullName: fullName({ lastName: m.last_name, firstName: m.first_name, middleName: m.middle_name }),
      assigned: Number(m.assigned ?? 0),
      submitted: Number(m.submitted ?? 0),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      municipality: i.municipality,
      createdAt: i.created_at.toISOString(),
      expiresAt: i.expires_at.toISOString(),
      expired: i.expires_at.getTime() <= now.getTime(),
    })),
  };
}

/**
 * Adds the account with this e-mail to the jury when its owner has confirmed the address; otherwise (no account, or an
 * address nobody has confirmed, which anyone could have registered) invites the address: the mail holds a link that
 * works for 14 days, and only the account with that address, once confirmed, can accept it (issue #11, item 5).
 */
export async function addJuryMember(
  ctx: JuryCtx,
  contestId: string,
  body: AddMemberBody,
  actor: Actor,
): Promise<AddMemberResult> {
  const { db } = ctx;
  const contest = await findContest(db, { id: contestId }, { includeArchived: true });
  const email = body.email.trim().toLowerCase();
  const municipality = body.municipality?.trim() || null;
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'last_name', 'first_name', 'middle_name', 'roles', 'email_verified_at'])
    .where('email', '=', email)
    .executeTakeFirst();

  const nameOf = (u: { last_name: string; first_name: string; middle_name: string | null }) =>
    fullName({ lastName: u.last_name, firstName: u.first_name, middleName: u.middle_name });
  // Before an invitation too: an applicant is refused at once, not at the link.
  if (user) await refuseApplicant(db, contestId, user.id, nameOf(user));
  if (user?.email_verified_at) {
    const name = nameOf(user);
    const existing = await db
      .selectFrom('jury_members')
      .select('user_id')
      .where('contest_id', '=', contestId)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (existing)
      throw new AppError('already_member', `${name} уже в жюри этого конкурса.`, {
        email: 'Этот человек уже в жюри.',
      });
    await db.transaction().execute(async (trx) => {
      await refuseApplicant(trx, contestId, user.id, name);
      await trx
        .insertInto('jury_members')
        .values({ contest_id: contestId, user_id: user.id, municipality, added_by: actor.id })
        .execute();
      await grantJurorRole(trx, user.id, user.roles);
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'jury.member.add',
        entity: 'contest',
        entityId: contestId,
        after: { userId: user.id, email, municipality },
        ip: actor.ip,
      });
      await enqueueMail(
        trx,
        {
          to: email,
          subject: `Вы в жюри конкурса «${contest.title}»`,
          text: letterText({ firstName: user.first_name, middleName: user.middle_name }, [
            `Организатор включил вас в жюри конкурса «${contest.title}». Заявки для оценки появятся в разделе «Жюри»: ${ctx.publicUrl}/jury`,
          ]),
        },
        { deliver: ctx.deliverMail },
      );
    });
    return { outcome: 'added', message: `${name} добавлен(а) в жюри.` };
  }

  const { token, hash } = newToken();
  const expiresAt = new Date(ctx.now.getTime() + INVITATION_LIFETIME_MS);
  await db.transaction().execute(async (trx) => {
    // A new invitation to the same address replaces the one not accepted yet: only the latest link works.
    await trx
      .deleteFrom('jury_invitations')
      .where('contest_id', '=', contestId)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .execute();
    const created = await trx
      .insertInto('jury_invitations')
      .values({
        contest_id: contestId,
        email,
        token_hash: hash,
        municipality,
        invited_by: actor.id,
        created_at: ctx.now,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.invite',
      entity: 'contest',
      entityId: contestId,
      after: { invitationId: created.id, email, municipality, expiresAt: expiresAt.toISOString() },
      ip: actor.ip,
    });
    await enqueueMail(
      trx,
      {
        to: email,
        subject: `Приглашение в жюри конкурса «${contest.title}»`,
        // Nobody's name is known yet: the address may have no account.
        text: letterText(null, [
          `Вас приглашают в жюри конкурса «${contest.title}». Чтобы принять приглашение, откройте ссылку, войдите или зарегистрируйтесь с адресом ${email} и нажмите «Принять приглашение»:\n${ctx.publicUrl}/jury/invite/${token}`,
          'Принять его можно только с этим адресом, подтверждённым по ссылке из письма, которое придёт после регистрации. ' +
            `Если адрес уже занят, а вы не регистрировались, задайте пароль на странице «Забыли пароль?»: ${ctx.publicUrl}/forgot-password`,
          `Ссылка действует до ${moscowDate(expiresAt)} включительно.`,
        ]),
      },
      { deliver: ctx.deliverMail },
    );
  });
  return {
    outcome: 'invited',
    message: user
      ? `Адрес ${email} ещё не подтверждён владельцем учётной записи, поэтому сразу в жюри его не добавили: приглашение отправлено на этот адрес. Принять его можно, только подтвердив адрес.`
      : `Аккаунта с адресом ${email} нет: приглашение отправлено на этот адрес.`,
  };
}

async function findInvitation(db: Db, token: string, now: Date) {
  const row = await db
    .selectFrom('jury_invitations as i')
    .innerJoin('contests as c', 'c.id', 'i.contest_id')
    .select([
      'i.id',
      'i.contest_id',
      'i.email',
      'i.municipality',
      'i.expires_at',
      'i.accepted_at',
      'i.accepted_by',
      'c.slug',
      'c.title',
    ])
    .where('i.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row)
    throw new AppError(
      'invitation_not_found',
      'Приглашение не найдено. Проверьте ссылку из письма или попросите организатора прислать новое.',
    );
  if (row.expires_at.getTime() <= now.getTime() && !row.accepted_at) {
    throw new AppError(
      'invitation_expired',
      `Срок приглашения истёк ${moscowDate(row.expires_at)}. Попросите организатора прислать новое.`,
    );
  }
  return row;
}

type InvitationStep = InvitationView['next'];

/**
 * What the person who opened the link must do before accepting: an invitation belongs to its address, and the address
 * must be confirmed, so that nobody who registered someone else's address joins a jury in their name.
 */
function invitationStep(
  invited: string,
  person: { email: string; emailVerified: boolean } | null,
): { next: InvitationStep; advice: string } {
  if (!person) {
    return {
      next: 'sign_in',
      advice:
        `Войдите с адресом ${invited} или зарегистрируйтесь с ним — после этого вы вернётесь на эту страницу. ` +
        'Если адрес уже занят, а вы не регистрировались, задайте пароль на странице «Забыли пароль?»: ссылка придёт на этот адрес.',
    };
  }
  if (person.email !== invited) {
    return {
      next: 'switch_account',
      advice: `Приглашение отправлено на адрес ${invited}, а вы вошли как ${person.email}. Принять его можно только с адресом ${invited}: выйдите и войдите с ним.`,
    };
  }
  if (!person.emailVerified) {
    return {
      next: 'confirm_email',
      advice: `Подтвердите адрес ${invited}: откройте ссылку из письма, которое пришло после регистрации, и вернитесь на эту страницу. Если письма нет, отправьте его ещё раз.`,
    };
  }
  return { next: 'accept', advice: `Вы вошли с адресом ${invited}.` };
}

export async function viewInvitation(
  db: Db,
  token: string,
  now: Date,
  viewer: SessionUser | null,
): Promise<InvitationView> {
  const row = await findInvitation(db, token, now);
  if (row.accepted_at) throw new AppError('invitation_used', 'Это приглашение уже принято.');
  return {
    contest: { id: row.contest_id, slug: row.slug, title: row.title },
    email: row.email,
    expiresAt: row.expires_at.toISOString(),
    ...invitationStep(row.email, viewer),
  };
}

/**
 * The signed-in person accepts: they join the jury (with the juror role). The link works once, and only for the account
 * with the invited address, confirmed.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  user: { id: string; roles: Role[] },
  now: Date,
  ip: string,
): Promise<Accepted> {
  const row = await findInvitation(db, token, now);
  const contest = { id: row.contest_id, slug: row.slug, title: row.title };
  if (row.accepted_at) {
    if (row.accepted_by === user.id) return { contest, message: 'Вы уже приняли это приглашение.' };
    throw new AppError('invitation_used', 'Это приглашение уже принято.');
  }
  // Read from the database, not the session: the address and its confirmation as they are now.
  const person = await db
    .selectFrom('users')
    .select(['email', 'email_verified_at'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  const step = invitationStep(row.email, { email: person.email, emailVerified: person.email_verified_at !== null });
  if (step.next === 'switch_account') throw new AppError('invitation_other_address', step.advice);
  if (step.next === 'confirm_email') throw new AppError('email_unverified', step.advice);
  await db.transaction().execute(async (trx) => {
    await refuseApplicant(trx, row.contest_id, user.id, null);
    // Only one acceptance wins if two arrive at once.
    const claimed = await trx
      .updateTable('jury_invitations')
      .set({ accepted_at: now, accepted_by: user.id })
      .where('id', '=', row.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('invitation_used', 'Это приглашение уже принято.');
    await trx
      .insertInto('jury_members')
      .values({ contest_id: row.contest_id, user_id: user.id, municipality: row.municipality, added_by: null })
      .onConflict((oc) => oc.columns(['contest_id', 'user_id']).doNothing())
      .execute();
    await grantJurorRole(trx, user.id, user.roles);
    await recordAudit(trx, {
      actorId: user.id,
      action: 'jury.invite.accept',
      entity: 'contest',
      entityId: row.contest_id,
      after: { invitationId: row.id, userId: user.id },
      ip,
    });
  });
  return { contest, message: `Вы в жюри конкурса «${row.title}».` };
}

export async function cancelInvitation(db: Db, contestId: string, invitationId: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('jury_invitations')
      .where('id', '=', invitationId)
      .where('contest_id', '=', contestId)
      .where('accepted_at', 'is', null)
      .returning(['email'])
      .executeTakeFirst();
    if (!removed) throw notFound('Приглашение не найдено или уже принято.');
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.invite.cancel',
      entity: 'contest',
      entityId: contestId,
      before: { invitationId, email: removed.email },
      ip: actor.ip,
    });
  });
}

/** Makes this member the chair (the previous chair stops being one), or leaves the jury without a chair. */
export async function setChair(db: Db, contestId: string, userId: string | null, actor: Actor): Promise<void> {
  await findContest(db, { id: contestId }, { includeArchived: true });
  if (userId && !(await juryMembership(db, contestId, userId))) {
    throw new AppError('validation', 'Председателем можно назначить только члена жюри этого конкурса.', {
      userId: 'Этого человека нет в жюри.',
    });
  }
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('jury_members')
      .select('user_id')
      .where('contest_id', '=', contestId)
      .where('is_chair', '=', true)
      .executeTakeFirst();
    await trx
      .updateTable('jury_members')
      .set({ is_chair: false })
      .where('contest_id', '=', contestId)
      .where('is_chair', '=', true)
      .execute();
    if (userId)
      await trx
        .updateTable('jury_members')
        .set({ is_chair: true })
        .where('contest_id', '=', contestId)
        .where('user_id', '=', userId)
        .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.chair',
      entity: 'contest',
      entityId: contestId,
      before: { chair: before?.user_id ?? null },
      after: { chair: userId },
      ip: actor.ip,
    });
  });
}

/**
 * Corrects a member's municipality. It only steers assignments made from now on (the own-municipality rule and its
 * warning); assignments already made stay as they are.
 */
export async function setMemberMunicipality(
  db: Db,
  contestId: string,
  userId: string,
  municipality: string | null,
  actor: Actor,
): Promise<void> {
  await findContest(db, { id: contestId }, { includeArchived: true });
  const member = await juryMembership(db, contestId, userId);
  if (!member) throw notFound('Этого человека нет в жюри конкурса.');
  const value = municipality?.trim() || null;
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('jury_members')
      .select('municipality')
      .where('contest_id', '=', contestId)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('jury_members')
      .set({ municipality: value })
      .where('contest_id', '=', contestId)
      .where('user_id', '=', userId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.member.municipality',
      entity: 'contest',
      entityId: contestId,
      before: { userId, municipality: before.municipality },
      after: { userId, municipality: value },
      ip: actor.ip,
    });
  });
}

/** Removes a member with their assignments and draft sheets; refused once they have submitted a sheet in the contest. */
export async function removeJuryMember(db: Db, contestId: string, userId: string, actor: Actor): Promise<void> {
  await findContest(db, { id: contestId }, { includeArchived: true });
  const member = await juryMembership(db, contestId, userId);
  if (!member) throw notFound('Этого человека нет в жюри конкурса.');
  const submitted = await db
    .selectFrom('score_sheets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('contest_id', '=', contestId)
    .where('juror_id', '=', userId)
    .where('status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  if (Number(submitted.n) > 0) {
    throw new AppError(
      'has_submitted',
      `Исключить из жюри нельзя: член жюри уже отправил оценки (${submitted.n}). Они учитываются в итогах.`,
    );
  }
  await db.transaction().execute(async (trx) => {
    const drafts = await trx
      .deleteFrom('score_sheets')
      .where('contest_id', '=', contestId)
      .where('juror_id', '=', userId)
      .where('status', '=', 'draft')
      .returning('application_id')
      .execute();
    const assignments = await trx
      .deleteFrom('jury_assignments')
      .where('contest_id', '=', contestId)
      .where('juror_id', '=', userId)
      .returning('application_id')
      .execute();
    await trx.deleteFrom('jury_members').where('contest_id', '=', contestId).where('user_id', '=', userId).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.member.remove',
      entity: 'contest',
      entityId: contestId,
      before: {
        userId,
        isChair: member.isChair,
        assignments: assignments.map((a) => a.application_id),
        draftSheets: drafts.map((d) => d.application_id),
      },
      ip: actor.ip,
    });
  });
}
