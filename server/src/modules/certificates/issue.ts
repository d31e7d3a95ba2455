import type { AwardKind, Db } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { fullName } from '../auth/present.ts';
import { computeResults } from '../olympiad/results-service.ts';
import { eventTitle, issueCertificates, type EventRef, type Recipient } from './service.ts';
import { AWARD_LABELS } from './templates.ts';

/**
 * Who is entitled to which award once an event's results are published, and issuing all of it in one act.
 *
 * A contest: place 1, 2, 3 of the published snapshot (contest_results) → a diploma of that degree; a row without a place,
 * and also a place beyond the third (when the jury awards more than three places), → a participant certificate: there
 * is no diploma of a fourth degree, and printing «III степени» for a fourth place would be untrue. Every jury member
 * gets a letter of thanks. An olympiad: winner / prize / participant as the published award rule decides them, and its
 * graders a letter of thanks (the rule
 * and the closed attempts cannot change after publication, so computing them again gives the published table).
 */
export type Entitlement = Map<AwardKind, Recipient[]>;

const DIPLOMA: Record<number, AwardKind> = { 1: 'place1', 2: 'place2', 3: 'place3' };

async function contestEntitlement(db: Db, contestId: string): Promise<Entitlement | null> {
  const contest = await db.selectFrom('contests').select(['id', 'results_published_at']).where('id', '=', contestId).executeTakeFirst();
  if (!contest) throw new AppError(404, 'not_found', 'Конкурс не найден.');
  const rows = await db
    .selectFrom('contest_results as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .innerJoin('nominations as n', 'n.id', 'r.nomination_id')
    .select(['r.application_id', 'r.place', 'a.applicant_id', 'u.last_name', 'u.first_name', 'u.middle_name', 'n.title as nomination', 'n.position'])
    .where('r.contest_id', '=', contestId)
    .orderBy('n.position')
    .orderBy('r.rank')
    .execute();
  if (!contest.results_published_at || rows.length === 0) return null;
  const entitled: Entitlement = new Map();
  const add = (award: AwardKind, r: Recipient) => entitled.set(award, [...(entitled.get(award) ?? []), r]);
  for (const row of rows) {
    const name = fullName({ lastName: row.last_name, firstName: row.first_name, middleName: row.middle_name });
    const award = (row.place !== null && DIPLOMA[row.place]) || 'participant';
    add(award, {
      key: `application:${row.application_id}`, userId: row.applicant_id, name,
      values: { 'номинация': row.nomination, 'место': row.place !== null ? String(row.place) : '' },
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
function jurorRecipients(jurors: { user_id: string; last_name: string; first_name: string; middle_name: string | null }[]): Recipient[] {
  return jurors.map((j) => ({ key: `juror:${j.user_id}`, userId: j.user_id, name: fullName({ lastName: j.last_name, firstName: j.first_name, middleName: j.middle_name }) }));
}

async function olympiadEntitlement(db: Db, olympiadId: string): Promise<Entitlement | null> {
  const olympiad = await db.selectFrom('olympiads').select(['id', 'results_published_at']).where('id', '=', olympiadId).executeTakeFirst();
  if (!olympiad) throw new AppError(404, 'not_found', 'Олимпиада не найдена.');
  if (!olympiad.results_published_at) return null;
  const results = await computeResults(db, olympiadId);
  const users = new Map(
    (await db.selectFrom('olympiad_participants').select(['id', 'user_id']).where('olympiad_id', '=', olympiadId).execute()).map((p) => [p.id, p.user_id]),
  );
  const entitled: Entitlement = new Map();
  for (const row of results.rows) {
    const award: AwardKind = row.status;
    entitled.set(award, [...(entitled.get(award) ?? []), { key: `participant:${row.participantId}`, userId: users.get(row.participantId) ?? null, name: row.fullName }]);
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

/** null: the results are not published yet. */
export function entitlement(db: Db, event: EventRef): Promise<Entitlement | null> {
  return event.contestId ? contestEntitlement(db, event.contestId) : olympiadEntitlement(db, event.olympiadId!);
}

export const CONTEST_AWARDS: AwardKind[] = ['place1', 'place2', 'place3', 'participant', 'juror_thanks'];
export const OLYMPIAD_AWARDS: AwardKind[] = ['winner', 'prize', 'participant', 'juror_thanks'];
const awardsOf = (event: EventRef) => (event.contestId ? CONTEST_AWARDS : OLYMPIAD_AWARDS);

export interface AwardCount {
  award: AwardKind;
  awardLabel: string;
  /** How many the results entitle. */
  entitled: number;
  /** How many certificates of this award the event holds (revoked ones included). */
  issued: number;
}

export interface IssuingState {
  resultsPublished: boolean;
  awards: AwardCount[];
}

/** For the organizer's page: are the results published, and how many of each award are due and issued. */
export async function issuingState(db: Db, event: EventRef): Promise<IssuingState> {
  await eventTitle(db, event);
  const due = await entitlement(db, event);
  const column = event.contestId ? 'contest_id' : 'olympiad_id';
  const counts = await db
    .selectFrom('certificates')
    .select(['award', (eb) => eb.fn.countAll<string>().as('n')])
    .where(column, '=', (event.contestId ?? event.olympiadId)!)
    .groupBy('award')
    .execute();
  return {
    resultsPublished: due !== null,
    awards: awardsOf(event).map((award) => ({
      award, awardLabel: AWARD_LABELS[award], entitled: due?.get(award)?.length ?? 0, issued: Number(counts.find((c) => c.award === award)?.n ?? 0),
    })),
  };
}

export interface IssueOutcome {
  award: AwardKind;
  awardLabel: string;
  issued: number;
  alreadyIssued: number;
}

/**
 * Issues every award the published results entitle. Idempotent: a second call issues nothing; someone added to the jury
 * later gets theirs on the next call. Refused (409) until the results are published.
 */
export async function issueFromResults(db: Db, event: EventRef, actor: { id: string; ip: string }): Promise<IssueOutcome[]> {
  await eventTitle(db, event);
  const due = await entitlement(db, event);
  if (!due) {
    throw new AppError(409, 'results_not_published', event.contestId
      ? 'Итоги конкурса ещё не опубликованы: наградные документы выдаются после публикации итогов.'
      : 'Итоги олимпиады ещё не опубликованы: наградные документы выдаются после публикации итогов.');
  }
  const outcome: IssueOutcome[] = [];
  for (const award of awardsOf(event)) {
    const recipients = due.get(award) ?? [];
    const done = recipients.length ? await issueCertificates(db, { event, award, recipients, issuedBy: actor.id }) : { issued: 0, alreadyIssued: 0 };
    outcome.push({ award, awardLabel: AWARD_LABELS[award], ...done });
  }
  await recordAudit(db, {
    actorId: actor.id, action: 'certificates.issue_from_results', entity: event.contestId ? 'contest' : 'olympiad', entityId: (event.contestId ?? event.olympiadId)!,
    after: Object.fromEntries(outcome.map((o) => [o.award, { issued: o.issued, alreadyIssued: o.alreadyIssued }])), ip: actor.ip,
  });
  return outcome;
}
