import { AppError } from '../../../http/errors.ts';
import type { Db } from '@konkurs/db';

export interface JuryMembership {
  contestId: string;
  userId: string;
  isChair: boolean;
  municipality: string | null;
}

/** The user's place on the contest's jury, or null when they are not on it. */
export async function juryMembership(db: Db, contestId: string, userId: string): Promise<JuryMembership | null> {
  const row = await db
    .selectFrom('jury_members')
    .select(['contest_id', 'user_id', 'is_chair', 'municipality'])
    .where('contest_id', '=', contestId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row
    ? { contestId: row.contest_id, userId: row.user_id, isChair: row.is_chair, municipality: row.municipality }
    : null;
}

/**
 * The user's application to the contest, if they have one that is not withdrawn (a draft too): its applicant may not
 * sit on its jury, and a member of its jury may not apply (issue #11, item 4).
 */
export async function applicationToContest(db: Db, contestId: string, userId: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'registration_number', 'status'])
    .where('contest_id', '=', contestId)
    .where('applicant_id', '=', userId)
    .where('status', '!=', 'withdrawn')
    .orderBy('created_at')
    .executeTakeFirst();
}

/**
 * Refuses to seat an applicant of the contest on its jury (409 applicant_of_contest; `who` names them to the organizer,
 * null speaks to the person themself). Called in the transaction that adds the member, it takes the person's row lock
 * first, as starting an application does, so that joining the jury and applying cannot pass each other.
 */
export async function refuseApplicant(db: Db, contestId: string, userId: string, who: string | null): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  const application = await applicationToContest(db, contestId, userId);
  if (!application) return;
  const message = applicantRefusal(application, who);
  throw new AppError('applicant_of_contest', message, who ? { email: message } : undefined);
}

/** Why an applicant of the contest cannot join its jury, in words for the organizer or for themself. */
function applicantRefusal(application: { registration_number: string | null }, who: string | null) {
  const which = application.registration_number ? `заявка ${application.registration_number}` : 'черновик заявки';
  return who
    ? `${who} участвует в этом конкурсе (${which}): заявитель не может быть в жюри своего конкурса.`
    : `Вы участвуете в этом конкурсе (${which}): заявитель не может быть в жюри своего конкурса. Если вы хотите судить, а не участвовать, отзовите заявку.`;
}

/**
 * Whether the juror may read this entry: assigned to it, no conflict declared, and not their own application. Every juror route asks this
 * before it shows anything of an entry.
 */
export async function jurorMayRead(db: Db, applicationId: string, jurorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('jury_assignments as a')
    .leftJoin('jury_conflicts as c', (join) =>
      join.onRef('c.application_id', '=', 'a.application_id').onRef('c.juror_id', '=', 'a.juror_id'),
    )
    .innerJoin('applications as e', 'e.id', 'a.application_id')
    .select(['a.application_id', 'c.reason', 'e.applicant_id'])
    .where('a.application_id', '=', applicationId)
    .where('a.juror_id', '=', jurorId)
    .executeTakeFirst();
  return !!row && row.reason === null && row.applicant_id !== jurorId;
}
