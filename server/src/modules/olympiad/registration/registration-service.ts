import type { Db } from '@konkurs/db';
import { AppError } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { recordHit, type Limit } from '../../auth/throttle.ts';
import { addParticipant } from '../participants/participant-service.ts';
import { personKey } from '../participants/roster.ts';
import type { RegistrationInfo, RegistrationSettingsBody, SelfRegistrationBody } from './registration-schemas.ts';
import { getOlympiad } from '../tasks/task-service.ts';

/**
 * Self-registration: when the organizer enables it, a student signs up on the olympiad's public page, with a
 * parent's or guardian's consent (a minor's personal data, 152-ФЗ art. 9); the account is a student account
 * with an access code like a roster's, and the student is signed in at once.
 */
export const GUARDIAN_CONSENT = {
  version: 'olympiad-guardian-2026-11',
  text:
    'Я, родитель (законный представитель) участника, даю согласие организатору олимпиады и оператору платформы Konkurs ' +
    'на обработку персональных данных моего ребёнка (фамилия, имя, отчество, школа, класс, ответы и результаты олимпиады) ' +
    'в целях участия в олимпиаде, проверки работ, подведения и публикации итогов и выдачи наградных документов, ' +
    'в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных». Согласие действует до его отзыва; ' +
    'отозвать его можно письменным заявлением организатору.',
};

export async function registrationInfo(db: Db, olympiadId: string): Promise<RegistrationInfo> {
  const o = await getOlympiad(db, olympiadId);
  const over = o.window_end_at.getTime() <= Date.now();
  return {
    olympiad: {
      id: o.id,
      title: o.title,
      grades: o.grades,
      windowStartAt: o.window_start_at.toISOString(),
      windowEndAt: o.window_end_at.toISOString(),
    },
    open: o.self_registration && !over && o.registration_schools.length > 0,
    selfRegistration: o.self_registration,
    schools: o.registration_schools,
    consent: GUARDIAN_CONSENT,
  };
}

export async function setRegistrationSettings(
  db: Db,
  olympiadId: string,
  body: RegistrationSettingsBody,
  actor: { id: string; ip: string },
): Promise<void> {
  const before = await getOlympiad(db, olympiadId);
  const schools = [...new Set(body.schools.map((s) => s.trim()).filter(Boolean))];
  if (body.selfRegistration && schools.length === 0) {
    throw new AppError('validation', 'Для самостоятельной регистрации укажите хотя бы одну школу.', {
      schools: 'Укажите хотя бы одну школу.',
    });
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('olympiads')
      .set({ self_registration: body.selfRegistration, registration_schools: JSON.stringify(schools) })
      .where('id', '=', olympiadId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.registration_settings.set',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { selfRegistration: before.self_registration, schools: before.registration_schools },
      after: { selfRegistration: body.selfRegistration, schools },
      ip: actor.ip,
    });
  });
}

/** The same person signing up twice would get two codes, two attempts and two diplomas; the organizer has their code. */
const alreadyRegistered = () =>
  new AppError(
    'already_registered',
    'Участник с такими фамилией, именем, школой и классом уже зарегистрирован на эту олимпиаду. Регистрироваться ещё раз не нужно: ' +
      'если вы потеряли код доступа, попросите его у организатора олимпиады или у учителя.',
  );

/** `limits` are the caller's limits per address: every sign-up that passes the form's checks counts in them. */
export async function selfRegister(
  db: Db,
  olympiadId: string,
  body: SelfRegistrationBody,
  ip: string,
  limits: Limit[] = [],
) {
  const info = await registrationInfo(db, olympiadId);
  if (!info.open)
    throw new AppError(
      'registration_closed',
      'Самостоятельная регистрация на эту олимпиаду закрыта. Обратитесь к организатору или в свою школу.',
    );
  const lastName = body.lastName.trim();
  const firstName = body.firstName.trim();
  const middleName = body.middleName?.trim() || null;
  const guardianName = body.guardianName.trim();
  const className = body.className.trim().toUpperCase().replace(/\s+/g, '');
  const fields: Record<string, string> = {};
  if (!lastName) fields.lastName = 'Заполните поле «Фамилия».';
  if (!firstName) fields.firstName = 'Заполните поле «Имя».';
  if (!info.schools.includes(body.school.trim())) fields.school = 'Выберите школу из списка.';
  if (!info.olympiad.grades.includes(body.grade))
    fields.grade = `Олимпиада проводится для ${info.olympiad.grades.join(', ')} классов: выберите один из них.`;
  if (className && !className.startsWith(String(body.grade)))
    fields.className = `Класс с буквой должен начинаться с номера параллели, например ${body.grade}А.`;
  if (!guardianName) fields.guardianName = 'Укажите ФИО родителя или законного представителя.';
  if (!body.guardianConsent)
    fields.guardianConsent = 'Без согласия родителя (законного представителя) зарегистрироваться нельзя.';
  if (body.consentVersion !== GUARDIAN_CONSENT.version)
    fields.guardianConsent = 'Текст согласия обновился. Обновите страницу, прочитайте его и подтвердите снова.';
  if (Object.keys(fields).length)
    throw new AppError('validation', `Проверьте введённые данные. ${Object.values(fields)[0]}`, fields);
  await recordHit(db, limits);

  return db.transaction().execute(async (trx) => {
    // Serializes sign-ups into one olympiad, so that two never get the same шифр nor the same person twice.
    await trx.selectFrom('olympiads').select('id').where('id', '=', olympiadId).forUpdate().execute();
    const key = personKey({ lastName, firstName, middleName, school: body.school.trim() });
    const sameGrade = await trx
      .selectFrom('olympiad_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.last_name', 'u.first_name', 'u.middle_name', 'p.school'])
      .where('p.olympiad_id', '=', olympiadId)
      .where('p.grade', '=', body.grade)
      .execute();
    if (
      sameGrade.some(
        (p) =>
          personKey({ lastName: p.last_name, firstName: p.first_name, middleName: p.middle_name, school: p.school }) ===
          key,
      )
    )
      throw alreadyRegistered();
    const ciphers = new Set(
      (
        await trx.selectFrom('olympiad_participants').select('cipher').where('olympiad_id', '=', olympiadId).execute()
      ).map((r) => r.cipher),
    );
    const { user, participantId, accessCode } = await addParticipant(trx, olympiadId, ciphers, {
      lastName,
      firstName,
      middleName,
      school: body.school.trim(),
      grade: body.grade,
      className,
    });
    // The exact text shown, and who gave the consent for whom.
    const student = fullName({ lastName, firstName, middleName });
    await trx
      .insertInto('consents')
      .values({
        user_id: user.id,
        purpose: 'olympiad_guardian',
        text_version: GUARDIAN_CONSENT.version,
        ip,
        text: `${GUARDIAN_CONSENT.text}\nОлимпиада: «${info.olympiad.title}».\nУчастник: ${student}.\nРодитель (законный представитель): ${guardianName}.`,
      })
      .execute();
    await recordAudit(trx, {
      actorId: user.id,
      action: 'olympiad.self_register',
      entity: 'olympiad',
      entityId: olympiadId,
      after: { participantId },
      ip,
    });
    return { user, accessCode };
  });
}
