import { randomBytes } from 'node:crypto';
import { sql, type Db, type Role } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { readTable, TableReadError } from '../../../lib/spreadsheet.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { newAccessCode, newCipher } from '../access/access-codes.ts';
import { ALREADY_ON_ROSTER, parseRoster, personKey, RosterFormatError, type NewParticipant } from './roster.ts';
import type { ParticipantDto, ParticipantList, RosterImportResult } from '../schemas.ts';
import { getOlympiad } from '../tasks/task-service.ts';

/** Students on a roster sign in with their access code only; their account needs an address nobody can mail (.invalid is reserved). */
const studentEmail = () => `student-${randomBytes(8).toString('hex')}@students.konkurs.invalid`;

/** Most participants in one roster file: a region's olympiad fits; more is surely not one roster. */
export const ROSTER_MAX_ROWS = 20_000;

/**
 * Student accounts and their places on the olympiad's roster: for each, a fresh access code and a шифр that nobody
 * in `takenCiphers` has (the set is updated). The caller holds the olympiad's row lock, so two calls never race.
 * Two statements whatever the number of people (the rows travel as arrays), returned in the order given.
 */
export async function addParticipants(
  trx: Db,
  olympiadId: string,
  takenCiphers: Set<string>,
  people: NewParticipant[],
) {
  if (people.length === 0) return [];
  const emails = people.map(studentEmail);
  const users = await sql<{
    id: string;
    email: string;
    last_name: string;
    first_name: string;
    middle_name: string | null;
    roles: Role[];
  }>`
    insert into users (email, last_name, first_name, middle_name, password_hash, roles)
    select email, last_name, first_name, middle_name, null, array['student']
    from unnest(${emails}::text[], ${people.map((p) => p.lastName)}::text[], ${people.map((p) => p.firstName)}::text[],
                ${people.map((p) => p.middleName)}::text[]) as t(email, last_name, first_name, middle_name)
    returning id, email, last_name, first_name, middle_name, roles`.execute(trx);
  // Matched by the (random, unique) e-mail rather than trusting the order of RETURNING.
  const userOf = new Map(users.rows.map((u) => [u.email, u]));
  const userIds = emails.map((e) => userOf.get(e)!.id);
  const ciphers = people.map(() => {
    let cipher = newCipher();
    while (takenCiphers.has(cipher)) cipher = newCipher();
    takenCiphers.add(cipher);
    return cipher;
  });
  // A clash of random 50-bit codes is practically impossible; the unique index would still refuse it.
  const codes = people.map(() => newAccessCode());
  const inserted = await sql<{ id: string; user_id: string }>`
    insert into olympiad_participants (olympiad_id, user_id, school, grade, class_name, access_code, cipher)
    select ${olympiadId}, user_id, school, grade, class_name, access_code, cipher
    from unnest(${userIds}::uuid[], ${people.map((p) => p.school)}::text[], ${people.map((p) => p.grade)}::int[],
                ${people.map((p) => p.className)}::text[], ${codes}::text[], ${ciphers}::text[]) as t(user_id, school, grade, class_name, access_code, cipher)
    returning id, user_id`.execute(trx);
  const participantOf = new Map(inserted.rows.map((r) => [r.user_id, r.id]));
  return people.map((_, i) => ({
    user: userOf.get(emails[i])!,
    participantId: participantOf.get(userIds[i])!,
    accessCode: codes[i],
    cipher: ciphers[i],
  }));
}

/** One student: see addParticipants. */
export async function addParticipant(trx: Db, olympiadId: string, takenCiphers: Set<string>, p: NewParticipant) {
  const [added] = await addParticipants(trx, olympiadId, takenCiphers, [p]);
  return added;
}

async function participantRows(db: Db, olympiadId: string) {
  const rows = await db
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('olympiad_attempts as a', 'a.participant_id', 'p.id')
    .select([
      'p.id',
      'p.school',
      'p.grade',
      'p.class_name',
      'p.access_code',
      'p.cipher',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'a.id as attempt_id',
      'a.closed_at',
      'a.voided_at',
      'a.void_reason',
    ])
    .where('p.olympiad_id', '=', olympiadId)
    .orderBy('p.school')
    .orderBy('p.class_name')
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
  const keyOf = (r: (typeof rows)[number]) =>
    `${personKey({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name, school: r.school })}|${r.grade}`;
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(keyOf(r), (seen.get(keyOf(r)) ?? 0) + 1);
  return rows.map((r): ParticipantDto => ({
    id: r.id,
    fullName: fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name }),
    school: r.school,
    grade: r.grade,
    className: r.class_name,
    accessCode: r.access_code,
    cipher: r.cipher,
    attempt:
      r.attempt_id === null ? 'none' : r.voided_at !== null ? 'voided' : r.closed_at === null ? 'open' : 'closed',
    attemptId: r.attempt_id,
    voidReason: r.void_reason,
    possibleDuplicate: (seen.get(keyOf(r)) ?? 0) > 1,
  }));
}

/**
 * Takes a participant off the roster before they have started (a duplicate, a pupil who will not come): their place,
 * code and шифр go, and so does their account when it is a student account of this olympiad alone.
 */
export async function removeParticipant(
  db: Db,
  olympiadId: string,
  participantId: string,
  actor: { id: string; ip: string },
): Promise<void> {
  await getOlympiad(db, olympiadId);
  await db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom('olympiad_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select([
        'p.id',
        'p.user_id',
        'p.school',
        'p.grade',
        'p.class_name',
        'p.cipher',
        'u.last_name',
        'u.first_name',
        'u.middle_name',
        'u.roles',
      ])
      .where('p.id', '=', participantId)
      .where('p.olympiad_id', '=', olympiadId)
      .forUpdate('p')
      .executeTakeFirst();
    if (!p) throw notFound('Участник не найден.');
    const attempt = await trx
      .selectFrom('olympiad_attempts')
      .select('id')
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (attempt) {
      throw new AppError(
        'participant_started',
        'Участник уже начал олимпиаду: его нельзя удалить из списка. Если это повторная регистрация, аннулируйте лишнюю работу.',
      );
    }
    await trx.deleteFrom('olympiad_participants').where('id', '=', participantId).execute();
    const elsewhere = await trx
      .selectFrom('olympiad_participants')
      .select('id')
      .where('user_id', '=', p.user_id)
      .executeTakeFirst();
    const studentOnly = p.roles.length === 1 && p.roles[0] === 'student';
    if (studentOnly && !elsewhere) await trx.deleteFrom('users').where('id', '=', p.user_id).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.participant.remove',
      entity: 'olympiad',
      entityId: olympiadId,
      before: {
        participantId,
        fullName: fullName({ lastName: p.last_name, firstName: p.first_name, middleName: p.middle_name }),
        school: p.school,
        grade: p.grade,
        className: p.class_name,
        cipher: p.cipher,
        accountRemoved: studentOnly && !elsewhere,
      },
      ip: actor.ip,
    });
  });
}

/**
 * Voids a finished attempt (a duplicate registration of the same person): it is kept with who voided it and why,
 * but counts in no result, no grading queue and no appeal. Only before publication, when nothing has been issued on it.
 */
export async function voidAttempt(
  db: Db,
  olympiadId: string,
  attemptId: string,
  reason: string,
  actor: { id: string; ip: string },
): Promise<void> {
  const why = reason.trim();
  if (!why)
    throw new AppError('validation', 'Укажите причину, по которой работа аннулируется.', {
      reason: 'Укажите причину.',
    });
  await db.transaction().execute(async (trx) => {
    const olympiad = await trx
      .selectFrom('olympiads')
      .select(['id', 'results_published_at'])
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!olympiad) throw notFound('Олимпиада не найдена.');
    if (olympiad.results_published_at) {
      throw new AppError('results_published', 'Итоги уже опубликованы: работу больше нельзя аннулировать.');
    }
    const a = await trx
      .selectFrom('olympiad_attempts')
      .select(['id', 'participant_id', 'closed_at', 'voided_at', 'auto_score'])
      .where('id', '=', attemptId)
      .where('olympiad_id', '=', olympiadId)
      .executeTakeFirst();
    if (!a) throw notFound('Работа не найдена.');
    if (a.voided_at) throw new AppError('attempt_voided', 'Эта работа уже аннулирована.');
    if (!a.closed_at)
      throw new AppError('attempt_open', 'Работа ещё идёт: аннулировать можно только завершённую работу.');
    await trx
      .updateTable('olympiad_attempts')
      .set({ voided_at: sql<Date>`now()`, voided_by: actor.id, void_reason: why })
      .where('id', '=', attemptId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.attempt.void',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { attemptId, participantId: a.participant_id, autoScore: a.auto_score },
      after: { attemptId, voided: true, reason: why },
      ip: actor.ip,
    });
  });
}

export async function listParticipants(db: Db, olympiadId: string): Promise<ParticipantList> {
  const olympiad = await getOlympiad(db, olympiadId);
  return { olympiad: { id: olympiad.id, title: olympiad.title }, participants: await participantRows(db, olympiadId) };
}

/** Rows added in one transaction of an import (some 50 ms on the embedded database, which serves nothing else meanwhile). */
const IMPORT_PART_ROWS = 250;

/** personKey()s of the olympiad's participants, of those with one of `lastNames` when given. */
async function rosterKeys(db: Db, olympiadId: string, lastNames?: string[]): Promise<Set<string>> {
  let query = db
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.last_name', 'u.first_name', 'u.middle_name', 'p.school'])
    .where('p.olympiad_id', '=', olympiadId);
  if (lastNames) query = query.where('u.last_name', '=', sql<string>`any(${[...new Set(lastNames)]}::text[])`);
  const rows = await query.execute();
  return new Set(
    rows.map((e) =>
      personKey({ lastName: e.last_name, firstName: e.first_name, middleName: e.middle_name, school: e.school }),
    ),
  );
}

/** Reads an uploaded roster; adds every valid row (each with an access code and a шифр) and reports every refused one. */
export async function importRoster(
  db: Db,
  olympiadId: string,
  file: { data: Buffer; filename: string },
  actor: { id: string; ip: string },
): Promise<RosterImportResult> {
  const olympiad = await getOlympiad(db, olympiadId);
  let rows: string[][];
  try {
    rows = await readTable(file.data, file.filename, { maxRows: ROSTER_MAX_ROWS });
  } catch (error) {
    if (error instanceof TableReadError) throw new AppError('bad_table', error.message, { file: error.message });
    throw error;
  }
  if (rows.length < 2)
    throw new AppError('empty_table', 'В таблице нет ни одного участника.', {
      file: 'В таблице нет ни одного участника.',
    });

  let parsed;
  try {
    parsed = await parseRoster(rows, olympiad.grades, await rosterKeys(db, olympiadId));
  } catch (error) {
    if (error instanceof RosterFormatError) throw new AppError('bad_roster', error.message, { file: error.message });
    throw error;
  }

  // Added in parts, each its own short transaction: a long one would hold the embedded database's only connection
  // (and, on PostgreSQL, the olympiad's lock) for seconds, and every other request, students' saves included, would
  // wait. A part that fails leaves the parts before it; loading the file again adds exactly the rest.
  // The report is made of what was inserted: reading 10,000 rows back would hold the database once more.
  const added: ParticipantDto[] = [];
  const refused = [...parsed.refused];
  const parts = Math.ceil(parsed.entries.length / IMPORT_PART_ROWS);
  let ciphers = new Set<string>();
  let known = -1;
  for (let part = 0; part < parts; part++) {
    const entries = parsed.entries.slice(part * IMPORT_PART_ROWS, (part + 1) * IMPORT_PART_ROWS);
    const partRows = await db.transaction().execute(async (trx) => {
      // Serializes imports into one olympiad, so that two uploads of the same file cannot both add the same people.
      await trx.selectFrom('olympiads').select('id').where('id', '=', olympiadId).forUpdate().execute();
      const { n } = await trx
        .selectFrom('olympiad_participants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('olympiad_id', '=', olympiadId)
        .executeTakeFirstOrThrow();
      let fresh = entries;
      // The roster was read outside this lock, and someone else may have added participants since this import last
      // looked (another import, a self-registration): those people are not added twice, their шифры not given again.
      if (part === 0 || Number(n) !== known) {
        const existing = await rosterKeys(
          trx,
          olympiadId,
          entries.map((e) => e.lastName),
        );
        fresh = entries.filter((e) => !existing.has(personKey(e)));
        for (const e of entries.filter((x) => existing.has(personKey(x)))) {
          refused.push({
            row: e.row,
            reason: ALREADY_ON_ROSTER,
            text: [`${e.lastName} ${e.firstName} ${e.middleName ?? ''}`.trim(), e.school, e.className].join('; '),
          });
        }
        ciphers = new Set(
          (
            await trx
              .selectFrom('olympiad_participants')
              .select('cipher')
              .where('olympiad_id', '=', olympiadId)
              .execute()
          ).map((r) => r.cipher),
        );
      }
      const partAdded = await addParticipants(trx, olympiadId, ciphers, fresh);
      const partIds = partAdded.map((a) => a.participantId);
      known = Number(n) + partIds.length;
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'olympiad.roster.import',
        entity: 'olympiad',
        entityId: olympiadId,
        after: {
          file: file.filename,
          ...(parts > 1 ? { part: part + 1, parts } : {}),
          added: partIds.length,
          refused: part === 0 ? parsed.refused.length : 0,
          participantIds: partIds,
        },
        ip: actor.ip,
      });
      return partAdded.map((a, i): ParticipantDto => ({
        id: a.participantId,
        fullName: fullName({
          lastName: a.user.last_name,
          firstName: a.user.first_name,
          middleName: a.user.middle_name,
        }),
        school: fresh[i].school,
        grade: fresh[i].grade,
        className: fresh[i].className,
        accessCode: a.accessCode,
        cipher: a.cipher,
        attempt: 'none',
        attemptId: null,
        voidReason: null,
        possibleDuplicate: false,
      }));
    });
    added.push(...partRows);
  }
  if (parts === 0) {
    await recordAudit(db, {
      actorId: actor.id,
      action: 'olympiad.roster.import',
      entity: 'olympiad',
      entityId: olympiadId,
      after: { file: file.filename, added: 0, refused: parsed.refused.length, participantIds: [] },
      ip: actor.ip,
    });
  }
  refused.sort((a, b) => a.row - b.row);
  // In the list's order (school, class, name).
  const collator = new Intl.Collator('ru');
  added.sort(
    (a, b) =>
      collator.compare(a.school, b.school) ||
      collator.compare(a.className, b.className) ||
      collator.compare(a.fullName, b.fullName),
  );
  return { added, refused };
}

/** The participant (and olympiad) whose personal access code this is, normalized; undefined when none is. */
export function participantByAccessCode(db: Db, code: string) {
  return db
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.olympiad_id', 'u.id', 'u.email', 'u.last_name', 'u.first_name', 'u.middle_name', 'u.roles'])
    .where('p.access_code', '=', code)
    .executeTakeFirst();
}
