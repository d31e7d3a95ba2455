import { createHash } from 'node:crypto';
import type { AwardKind, Db, NameForms } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { fullName } from '../auth/present.ts';
import { computeResults } from '../olympiad/results/results-service.ts';
import { CASES } from './names.ts';
import { getOrganisation, missingDetails } from './organisation.ts';
import {
  eventTitle,
  eventWhere,
  formsOf,
  inScope,
  issueContext,
  issueOne,
  kindOf,
  nameCorrections,
  revokeIn,
  type CertificateMail,
  type EventRef,
  type IssueContext,
  type Recipient,
} from './service.ts';
import { AWARD_LABELS, AWARDS_OF } from './templates.ts';

/**
 * Who is entitled to which award under an event's current published results, how that compares with what is issued,
 * and bringing the two into line in one act.
 *
 * A contest: place 1, 2, 3 of the published snapshot (contest_results) → a diploma of that degree; a row without a place,
 * and also a place beyond the third (when the jury awards more than three places), → a participant certificate: there
 * is no diploma of a fourth degree, and printing «III степени» for a fourth place would be untrue. Every jury member
 * gets a letter of thanks. An olympiad: winner / prize / participant as the published award rule decides them (appeal
 * decisions included), and its graders a letter of thanks.
 *
 * Results change after documents are out: a contest is unpublished, an override changed and published again; an
 * olympiad appeal raises a student. Reconciling then revokes what no longer applies («итоги изменены») and issues what
 * is missing, so that for each person and award exactly the documents the results call for verify as valid.
 */
export type Entitlement = Map<AwardKind, Recipient[]>;

export const RESULTS_CHANGED = 'итоги изменены';
const DIPLOMA: Record<number, AwardKind> = { 1: 'place1', 2: 'place2', 3: 'place3' };

/** Adds a recipient to an award's list (in place: an olympiad's list has thousands). */
function addRecipient(entitled: Entitlement, award: AwardKind, r: Recipient): void {
  const list = entitled.get(award);
  if (list) list.push(r);
  else entitled.set(award, [r]);
}

async function contestEntitlement(db: Db, contestId: string): Promise<Entitlement | null> {
  const contest = await db
    .selectFrom('contests')
    .select(['id', 'results_published_at'])
    .where('id', '=', contestId)
    .executeTakeFirst();
  if (!contest) throw new AppError('not_found', 'Конкурс не найден.');
  const rows = await db
    .selectFrom('contest_results as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .innerJoin('nominations as n', 'n.id', 'r.nomination_id')
    .select([
      'r.application_id',
      'r.place',
      'a.applicant_id',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'n.title as nomination',
      'n.position',
    ])
    .where('r.contest_id', '=', contestId)
    .orderBy('n.position')
    .orderBy('r.rank')
    .execute();
  if (!contest.results_published_at || rows.length === 0) return null;
  const entitled: Entitlement = new Map();
  for (const row of rows) {
    const person = { lastName: row.last_name, firstName: row.first_name, middleName: row.middle_name };
    const award = (row.place !== null && DIPLOMA[row.place]) || 'participant';
    addRecipient(entitled, award, {
      key: `application:${row.application_id}`,
      userId: row.applicant_id,
      name: fullName(person),
      person,
      values: { номинация: row.nomination, место: row.place !== null ? String(row.place) : '' },
    });
  }
  const jurors = await db
    .selectFrom('jury_members as j')
    .innerJoin('users as u', 'u.id', 'j.user_id')
    .select(['j.user_id', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .where('j.contest_id', '=', contestId)
    .orderBy('u.last_name')
    .execute();
  entitled.set('juror_thanks', jurorRecipients(jurors));
  return entitled;
}

/** Letters of thanks go to everyone on the event's jury: a contest's jury members, an olympiad's graders. */
function jurorRecipients(
  jurors: { user_id: string; last_name: string; first_name: string; middle_name: string | null }[],
): Recipient[] {
  return jurors.map((j) => {
    const person = { lastName: j.last_name, firstName: j.first_name, middleName: j.middle_name };
    return { key: `juror:${j.user_id}`, userId: j.user_id, name: fullName(person), person };
  });
}

async function olympiadEntitlement(db: Db, olympiadId: string): Promise<Entitlement | null> {
  const olympiad = await db
    .selectFrom('olympiads')
    .select(['id', 'results_published_at'])
    .where('id', '=', olympiadId)
    .executeTakeFirst();
  if (!olympiad) throw new AppError('not_found', 'Олимпиада не найдена.');
  if (!olympiad.results_published_at) return null;
  const results = await computeResults(db, olympiadId);
  const people = new Map(
    (
      await db
        .selectFrom('olympiad_participants as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['p.id', 'p.user_id', 'u.last_name', 'u.first_name', 'u.middle_name'])
        .where('p.olympiad_id', '=', olympiadId)
        .execute()
    ).map((p) => [p.id, p]),
  );
  const entitled: Entitlement = new Map();
  for (const row of results.rows) {
    const award: AwardKind = row.status;
    const p = people.get(row.participantId);
    addRecipient(entitled, award, {
      key: `participant:${row.participantId}`,
      userId: p?.user_id ?? null,
      name: row.fullName,
      person: p ? { lastName: p.last_name, firstName: p.first_name, middleName: p.middle_name } : undefined,
      values: { школа: row.school, класс: row.className || String(row.grade) },
    });
  }
  // The olympiad's jury are the graders of its open answers.
  const graders = await db
    .selectFrom('olympiad_graders as j')
    .innerJoin('users as u', 'u.id', 'j.user_id')
    .select(['j.user_id', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .where('j.olympiad_id', '=', olympiadId)
    .orderBy('u.last_name')
    .execute();
  entitled.set('juror_thanks', jurorRecipients(graders));
  return entitled;
}

/** null: the results are not published (or were taken off publication for review). */
export function entitlement(db: Db, event: EventRef): Promise<Entitlement | null> {
  return event.contestId ? contestEntitlement(db, event.contestId) : olympiadEntitlement(db, event.olympiadId!);
}

export const CONTEST_AWARDS: AwardKind[] = AWARDS_OF.contest;
export const OLYMPIAD_AWARDS: AwardKind[] = AWARDS_OF.olympiad;
const awardsOf = (event: EventRef) => AWARDS_OF[kindOf(event)];

/** A person the results call for who holds no valid document of the award: issuing gives them one. */
export interface PlannedIssue {
  recipientKey: string;
  recipientName: string;
  /** The cases of the name as they will be printed; `corrected` when the organizer set them. */
  forms: NameForms;
  corrected: boolean;
  /** The revoked document of the same award the new one replaces (its page will say so), if there is one. */
  replaces: { id: string; registryNumber: string } | null;
}

/** A valid document the results no longer call for: it is revoked («итоги изменены»). */
export interface PlannedRevoke {
  id: string;
  registryNumber: string;
  recipientKey: string;
  recipientName: string;
}

export interface AwardPlan {
  award: AwardKind;
  awardLabel: string;
  /** How many the current results entitle. */
  entitled: number;
  /** How many valid (not revoked) documents of this award the event holds. */
  issued: number;
  /** Revoked ones, for the record. */
  revoked: number;
  toIssue: PlannedIssue[];
  toRevoke: PlannedRevoke[];
}

export interface IssuingState {
  resultsPublished: boolean;
  awards: AwardPlan[];
  /** Changes nothing: the issued documents match the results. */
  inLine: boolean;
  /** A digest of the plan: reconciling with it refuses when the plan changed since the organizer saw it. */
  planId: string;
  /** What the organisation's details lack (the default templates print them). */
  missingDetails: string[];
}

/** `known`: the entitlement read before a transaction (an olympiad's results close expired attempts, each in its own). */
async function plan(
  db: Db,
  event: EventRef,
  known?: Entitlement | null,
): Promise<{ state: IssuingState; due: Entitlement | null }> {
  await eventTitle(db, event);
  const due = known !== undefined ? known : await entitlement(db, event);
  const { column, id } = eventWhere(event);
  const held = await db
    .selectFrom('certificates')
    .select(['id', 'award', 'recipient_key', 'recipient_name', 'registry_number', 'revoked_at', 'replaced_by'])
    .where(column, '=', id)
    .orderBy('registry_number')
    .execute();
  const corrections = await nameCorrections(db, event);
  const awards = awardsOf(event).map((award): AwardPlan => {
    const recipients = due?.get(award) ?? [];
    const valid = held.filter((c) => c.award === award && !c.revoked_at);
    const entitledKeys = new Set(recipients.map((r) => r.key));
    const validKeys = new Set(valid.map((c) => c.recipient_key));
    // The last revoked, not yet replaced document of each recipient (held is in number order).
    const lastRevoked = new Map(
      held
        .filter((c) => c.award === award && c.revoked_at && !c.replaced_by)
        .map((c) => [c.recipient_key, { id: c.id, registryNumber: c.registry_number }]),
    );
    // Each recipient once, by key (the first of their rows).
    const seen = new Set<string>();
    const once = recipients.filter((r) => !seen.has(r.key) && seen.add(r.key));
    return {
      award,
      awardLabel: AWARD_LABELS[award],
      entitled: recipients.length,
      issued: valid.length,
      revoked: held.filter((c) => c.award === award && c.revoked_at).length,
      toIssue: due
        ? once
            .filter((r) => !validKeys.has(r.key))
            .map((r) => ({
              recipientKey: r.key,
              recipientName: r.name,
              forms: formsOf(r, corrections),
              corrected: corrections.has(r.key),
              replaces: lastRevoked.get(r.key) ?? null,
            }))
        : [],
      // While the results are under review nothing is revoked: they may come back as they were.
      toRevoke: due
        ? valid
            .filter((c) => !entitledKeys.has(c.recipient_key))
            .map((c) => ({
              id: c.id,
              registryNumber: c.registry_number,
              recipientKey: c.recipient_key,
              recipientName: c.recipient_name,
            }))
        : [],
    };
  });
  const digest = awards.map((a) => [a.award, a.toIssue.map((p) => p.recipientKey), a.toRevoke.map((p) => p.id)]);
  return {
    due,
    state: {
      resultsPublished: due !== null,
      awards,
      inLine: awards.every((a) => a.toIssue.length === 0 && a.toRevoke.length === 0),
      planId: createHash('sha256').update(JSON.stringify(digest)).digest('hex').slice(0, 16),
      missingDetails: missingDetails(await getOrganisation(db)),
    },
  };
}

/** For the organizer's page: what the results call for against what is issued, per award and per person. */
export async function issuingState(db: Db, event: EventRef): Promise<IssuingState> {
  return (await plan(db, event)).state;
}

export interface IssueOutcome {
  award: AwardKind;
  awardLabel: string;
  issued: number;
  alreadyIssued: number;
  revoked: number;
}

const notPublished = (event: EventRef) =>
  new AppError(
    'results_not_published',
    event.contestId
      ? 'Итоги конкурса ещё не опубликованы: наградные документы выдаются после публикации итогов.'
      : 'Итоги олимпиады ещё не опубликованы: наградные документы выдаются после публикации итогов.',
  );

/**
 * Brings the issued documents into line with the published results, in one transaction: revokes the valid ones the
 * results no longer call for (reason «итоги изменены») and issues the missing ones. Idempotent: when they match, it
 * changes nothing. With `expectedPlan` (the planId the organizer previewed) it refuses if the plan has changed since.
 */
export async function issueFromResults(
  db: Db,
  event: EventRef,
  actor: { id: string; ip: string },
  options: { now: Date; expectedPlan?: string; mail?: CertificateMail | null },
): Promise<IssueOutcome[]> {
  await eventTitle(db, event);
  const known = await entitlement(db, event);
  return db.transaction().execute(async (trx) => {
    // One reconciliation of an event at a time: a second waits, then finds the work done.
    const { id } = eventWhere(event);
    await (event.contestId
      ? trx.selectFrom('contests').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
      : trx.selectFrom('olympiads').select('id').where('id', '=', id).forUpdate().executeTakeFirst());
    const { state, due } = await plan(trx, event, known);
    if (!due) throw notPublished(event);
    if (options.expectedPlan && options.expectedPlan !== state.planId) {
      throw new AppError(
        'plan_changed',
        'Итоги или выданные документы изменились, пока открыта страница. Обновите её и проверьте списки ещё раз.',
      );
    }
    const outcome: IssueOutcome[] = [];
    for (const a of state.awards) {
      for (const c of a.toRevoke) await revokeIn(trx, c.id, RESULTS_CHANGED, actor.id, actor.ip, options.now);
      let issued = 0;
      if (a.toIssue.length) {
        const ctx = await issueContext(trx, event, a.award, options.now);
        const byKey = new Map((due.get(a.award) ?? []).map((r) => [r.key, r]));
        for (const p of a.toIssue) {
          const fresh = await issueOne(
            trx,
            ctx,
            byKey.get(p.recipientKey)!,
            actor.id,
            options.mail ?? null,
            p.replaces ?? undefined,
          );
          if (!fresh) continue;
          issued++;
          if (p.replaces)
            await trx
              .updateTable('certificates')
              .set({ replaced_by: fresh.id })
              .where('id', '=', p.replaces.id)
              .execute();
        }
      }
      outcome.push({
        award: a.award,
        awardLabel: a.awardLabel,
        issued,
        alreadyIssued: a.entitled - a.toIssue.length,
        revoked: a.toRevoke.length,
      });
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'certificates.issue_from_results',
      entity: event.contestId ? 'contest' : 'olympiad',
      entityId: id,
      before: Object.fromEntries(state.awards.map((a) => [a.award, { issued: a.issued }])),
      after: Object.fromEntries(
        outcome.map((o, i) => [
          o.award,
          {
            issued: o.issued,
            alreadyIssued: o.alreadyIssued,
            revoked: o.revoked,
            revokedNumbers: state.awards[i].toRevoke.map((c) => c.registryNumber),
            issuedTo: state.awards[i].toIssue.map((p) => p.recipientKey),
          },
        ]),
      ),
      ip: actor.ip,
    });
    return outcome;
  });
}

/**
 * Issues a new document (new number and code) in place of one: a revoked one, or a valid one revoked now with the
 * organizer's reason (a typo fixed in the template or the name). The results must still call for it; the old one's
 * verification page then says it was replaced.
 */
export async function replaceCertificate(
  db: Db,
  id: string,
  input: { reason?: string },
  actor: { id: string; ip: string },
  mail: CertificateMail | null,
  now: Date,
): Promise<string> {
  const found = await db
    .selectFrom('certificates')
    .select(['contest_id', 'olympiad_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw new AppError('not_found', 'Наградной документ не найден.');
  const event: EventRef = found.contest_id ? { contestId: found.contest_id } : { olympiadId: found.olympiad_id! };
  const due = await entitlement(db, event);
  return db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom('certificates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!old) throw new AppError('not_found', 'Наградной документ не найден.');
    if (old.replaced_by) throw new AppError('already_replaced', 'Этот документ уже заменён.');
    if (!due) throw notPublished(event);
    const recipient = due.get(old.award)?.find((r) => r.key === old.recipient_key);
    if (!recipient) {
      throw new AppError(
        'not_entitled',
        `По опубликованным итогам ${old.recipient_name} не положен документ «${AWARD_LABELS[old.award]}»: заменить его нельзя.`,
      );
    }
    if (!old.revoked_at) {
      const reason = input.reason?.trim() ?? '';
      if (reason.length < 3)
        throw new AppError('validation', 'Укажите причину замены (не короче 3 знаков).', {
          reason: 'Укажите причину замены.',
        });
      await revokeIn(trx, id, reason, actor.id, actor.ip, now);
    }
    const ctx: IssueContext = await issueContext(trx, event, old.award, now);
    const fresh = await issueOne(trx, ctx, recipient, actor.id, mail, {
      id: old.id,
      registryNumber: old.registry_number,
    });
    if (!fresh) throw new AppError('already_issued', 'У получателя уже есть действующий документ этой награды.');
    await trx.updateTable('certificates').set({ replaced_by: fresh.id }).where('id', '=', id).execute();
    return fresh.id;
  });
}

/** The organizer's correction of one recipient's declension; empty forms go back to petrovich's. */
export async function setNameForms(
  db: Db,
  event: EventRef,
  recipientKey: string,
  forms: NameForms | null,
  actor: { id: string; ip: string },
): Promise<void> {
  const due = await entitlement(db, event);
  const known = due && [...due.values()].some((list) => list.some((r) => r.key === recipientKey));
  if (!known) throw new AppError('not_found', 'Такого получателя нет в опубликованных итогах.');
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('certificate_name_forms')
      .select('forms')
      .where(inScope(event))
      .where('recipient_key', '=', recipientKey)
      .executeTakeFirst();
    await trx
      .deleteFrom('certificate_name_forms')
      .where(inScope(event))
      .where('recipient_key', '=', recipientKey)
      .execute();
    if (forms) {
      const clean = Object.fromEntries(
        CASES.map((c) => [c, forms[c].trim().replace(/\s+/g, ' ')]),
      ) as unknown as NameForms;
      await trx
        .insertInto('certificate_name_forms')
        .values({
          contest_id: event.contestId ?? null,
          olympiad_id: event.olympiadId ?? null,
          recipient_key: recipientKey,
          forms: JSON.stringify(clean),
        })
        .execute();
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'certificates.name_forms_update',
      entity: 'certificate_recipient',
      entityId: `${(event.contestId ?? event.olympiadId)!}:${recipientKey}`,
      before: before?.forms ?? null,
      after: forms,
      ip: actor.ip,
    });
  });
}
