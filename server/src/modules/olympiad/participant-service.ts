import { randomBytes } from 'node:crypto';
import type { Db } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { readTable, TableReadError } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/service.ts';
import { fullName } from '../auth/present.ts';
import { newAccessCode, newCipher } from './access-codes.ts';
import { parseRoster, personKey, RosterFormatError, type NewParticipant } from './roster.ts';
import type { ParticipantDto, ParticipantList, RosterImportResult } from './schemas.ts';
import { getOlympiad } from './task-service.ts';

/** Students on a roster sign in with their access code only; their account needs an address nobody can mail (.invalid is reserved). */
const studentEmail = () => `student-${randomBytes(8).toString('hex')}@students.konkurs.invalid`;

/**
 * A student account and its place on the olympiad's roster: a fresh access code and a шифр that nobody in
 * `takenCiphers` has (the set is updated). The caller holds the olympiad's row lock, so two calls never race.
 */
export async function addParticipant(trx: Db, olympiadId: string, takenCiphers: Set<string>, p: NewParticipant) {
  const user = await trx
    .insertInto('users')
    .values({ email: studentEmail(), last_name: p.lastName, first_name: p.firstName, middle_name: p.middleName, password_hash: null, roles: ['student'] })
    .returning(['id', 'email', 'last_name', 'first_name', 'middle_name', 'roles'])
    .executeTakeFirstOrThrow();
  let cipher = newCipher();
  while (takenCiphers.has(cipher)) cipher = newCipher();
  takenCiphers.add(cipher);
  // A clash of random 50-bit codes is practically impossible; the unique index would still refuse it.
  const accessCode = newAccessCode();
  const participant = await trx
    .insertInto('olympiad_participants')
    .values({ olympiad_id: olympiadId, user_id: user.id, school: p.school, grade: p.grade, class_name: p.className, access_code: accessCode, cipher })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { user, participantId: participant.id, accessCode };
}

async function participantRows(db: Db, olympiadId: string, ids?: string[]) {
  let query = db
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('olympiad_attempts as a', 'a.participant_id', 'p.id')
    .select(['p.id', 'p.school', 'p.grade', 'p.class_name', 'p.access_code', 'p.cipher', 'u.last_name', 'u.first_name', 'u.middle_name', 'a.id as attempt_id', 'a.closed_at'])
    .where('p.olympiad_id', '=', olympiadId);
  if (ids) query = query.where('p.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  const rows = await query.orderBy('p.school').orderBy('p.class_name').orderBy('u.last_name').orderBy('u.first_name').execute();
  return rows.map((r): ParticipantDto => ({
    id: r.id,
    fullName: fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name }),
    school: r.school,
    grade: r.grade,
    className: r.class_name,
    accessCode: r.access_code,
    cipher: r.cipher,
    attempt: r.attempt_id === null ? 'none' : r.closed_at === null ? 'open' : 'closed',
  }));
}

export async function listParticipants(db: Db, olympiadId: string): Promise<ParticipantList> {
  const olympiad = await getOlympiad(db, olympiadId);
  return { olympiad: { id: olympiad.id, title: olympiad.title }, participants: await participantRows(db, olympiadId) };
}

/** Reads an uploaded roster; adds every valid row (each with an access code and a шифр) and reports every refused one. */
export async function importRoster(db: Db, olympiadId: string, file: { data: Buffer; filename: string }, actor: { id: string; ip: string }): Promise<RosterImportResult> {
  const olympiad = await getOlympiad(db, olympiadId);
  let rows: string[][];
  try {
    rows = await readTable(file.data, file.filename);
  } catch (error) {
    if (error instanceof TableReadError) throw new AppError(400, 'bad_table', error.message, { file: error.message });
    throw error;
  }
  if (rows.length < 2) throw new AppError(400, 'empty_table', 'В таблице нет ни одного участника.', { file: 'В таблице нет ни одного участника.' });

  const addedIds = await db.transaction().execute(async (trx) => {
    // Serializes imports into one olympiad, so that two uploads of the same file cannot both add the same people.
    await trx.selectFrom('olympiads').select('id').where('id', '=', olympiadId).forUpdate().execute();
    const existing = await trx
      .selectFrom('olympiad_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.last_name', 'u.first_name', 'u.middle_name', 'p.school', 'p.cipher'])
      .where('p.olympiad_id', '=', olympiadId)
      .execute();
    const keys = new Set(existing.map((e) => personKey({ lastName: e.last_name, firstName: e.first_name, middleName: e.middle_name, school: e.school })));
    let parsed;
    try {
      parsed = parseRoster(rows, olympiad.grades, keys);
    } catch (error) {
      if (error instanceof RosterFormatError) throw new AppError(400, 'bad_roster', error.message, { file: error.message });
      throw error;
    }
    const ciphers = new Set(existing.map((e) => e.cipher));
    const ids: string[] = [];
    for (const entry of parsed.entries) ids.push((await addParticipant(trx, olympiadId, ciphers, entry)).participantId);
    await recordAudit(trx, {
      actorId: actor.id, action: 'olympiad.roster.import', entity: 'olympiad', entityId: olympiadId,
      after: { file: file.filename, added: ids.length, refused: parsed.refused.length, participantIds: ids }, ip: actor.ip,
    });
    return { ids, refused: parsed.refused };
  });
  return { added: await participantRows(db, olympiadId, addedIds.ids), refused: addedIds.refused };
}
