import type { Db } from '@konkurs/db';
import { AppError } from '../../../http/errors.ts';
import { moscowIsoDate } from '../../../lib/moscow.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import type { Actor } from './publication.ts';
import type { JuryMeeting, JuryMeetingResponse } from './results-schemas.ts';
import type { ContestRow } from './results-service.ts';

/** The jury meeting the protocol records (number, date, place, secretary, who did not take part), set by the organizer. */

export function meetingOf(contest: ContestRow): JuryMeeting {
  return {
    number: contest.jury_meeting_number ?? '',
    date: contest.jury_meeting_date,
    place: contest.jury_meeting_place ?? '',
    secretary: contest.jury_meeting_secretary ?? '',
    absentJurorIds: contest.jury_meeting_absent,
  };
}

/** The jury in the protocol's order: the chair first, then by name. */
export async function juryMembers(db: Db, contestId: string): Promise<JuryMeetingResponse['members']> {
  const rows = await db
    .selectFrom('jury_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'm.is_chair', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .where('m.contest_id', '=', contestId)
    .execute();
  return rows
    .map((m) => ({
      id: m.id,
      name: fullName({ lastName: m.last_name, firstName: m.first_name, middleName: m.middle_name }),
      chair: m.is_chair,
    }))
    .sort((a, b) => Number(b.chair) - Number(a.chair) || a.name.localeCompare(b.name, 'ru'));
}

export async function getMeeting(db: Db, contest: ContestRow): Promise<JuryMeetingResponse> {
  return { meeting: meetingOf(contest), members: await juryMembers(db, contest.id) };
}

/** Saves the meeting whole and answers with it as stored. */
export async function saveMeeting(
  db: Db,
  contest: ContestRow,
  body: JuryMeeting,
  actor: Actor,
): Promise<JuryMeetingResponse> {
  const members = await juryMembers(db, contest.id);
  const fields: Record<string, string> = {};
  const date = body.date || null;
  if (date) {
    const day = new Date(`${date}T12:00:00Z`);
    if (Number.isNaN(day.getTime()) || moscowIsoDate(day) !== date)
      fields.date = 'Поле «Дата заседания»: такой даты нет.';
    else if (date < '2000-01-01') fields.date = 'Поле «Дата заседания»: проверьте год.';
  }
  const memberIds = new Set(members.map((m) => m.id));
  const absent = [...new Set(body.absentJurorIds)];
  if (absent.some((id) => !memberIds.has(id)))
    fields.absentJurorIds = 'Поле «Не участвовали в заседании»: отмечен человек, которого нет в составе жюри.';
  else if (absent.length >= members.length && members.length > 0)
    fields.absentJurorIds = 'Поле «Не участвовали в заседании»: в заседании должен участвовать хотя бы один член жюри.';
  if (Object.keys(fields).length)
    throw new AppError('validation', `Проверьте введённые данные. ${Object.values(fields)[0]}`, fields);

  const after: JuryMeeting = {
    number: body.number.trim(),
    date,
    place: body.place.trim(),
    secretary: body.secretary.trim(),
    absentJurorIds: absent,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('contests')
      .set({
        jury_meeting_number: after.number || null,
        jury_meeting_date: after.date,
        jury_meeting_place: after.place || null,
        jury_meeting_secretary: after.secretary || null,
        jury_meeting_absent: JSON.stringify(after.absentJurorIds),
      })
      .where('id', '=', contest.id)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.meeting.set',
      entity: 'contest',
      entityId: contest.id,
      before: meetingOf(contest),
      after,
      ip: actor.ip,
    });
  });
  return { meeting: after, members };
}
