import type { Db } from '../connect.ts';
import type { Role } from '../schema.ts';
import { seedDemoApplications, type StoreDemoFile } from './demo-applications.ts';
import { seedDemoJury } from './demo-jury.ts';
import { seedDemoOlympiadGrading } from './demo-olympiad-grading.ts';
import { DEMO_TASKS } from './olympiad-tasks.ts';

export interface DemoAccount {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName: string;
  roles: Role[];
  /** What the account is for, shown in the console at start-up. */
  label: string;
}

/** Demo accounts: printed at start-up so anyone can try every journey at once. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: 'organizer@demo.konkurs.local',
    password: 'organizer-demo-1',
    lastName: 'Ковалёва',
    firstName: 'Ирина',
    middleName: 'Петровна',
    roles: ['organizer'],
    label: 'организатор',
  },
  {
    email: 'juror@demo.konkurs.local',
    password: 'juror-demo-1',
    lastName: 'Соколов',
    firstName: 'Андрей',
    middleName: 'Викторович',
    roles: ['juror'],
    label: 'член жюри',
  },
  {
    email: 'chair@demo.konkurs.local',
    password: 'chair-demo-1',
    lastName: 'Белова',
    firstName: 'Елена',
    middleName: 'Николаевна',
    roles: ['juror'],
    label: 'председатель жюри',
  },
  {
    email: 'applicant@demo.konkurs.local',
    password: 'applicant-demo-1',
    lastName: 'Иванова',
    firstName: 'Мария',
    middleName: 'Сергеевна',
    roles: ['applicant'],
    label: 'заявитель (председатель ТОС)',
  },
  {
    email: 'student@demo.konkurs.local',
    password: 'student-demo-1',
    lastName: 'Петров',
    firstName: 'Никита',
    middleName: 'Алексеевич',
    roles: ['student'],
    label: 'участник олимпиады',
  },
];

/** The demo student's personal access code (as printed on an access slip). */
export const DEMO_ACCESS_CODE = 'DEMKA-SMLNK';

const SEED_KEY = 'demo_seed';
const DAY = 24 * 60 * 60 * 1000;

export interface SeedOptions {
  hashPassword: (password: string) => Promise<string>;
  /** Demo dates are set relative to this moment, so that every journey can be tried at once. */
  now?: Date;
  /** Stores the demo applications' attachments; without it the demo applications have no files. */
  storeFile?: StoreDemoFile;
}

/**
 * Loads the demo content once. Returns false when it was already there (a second start loads nothing twice).
 * Runs in one transaction: a crash half-way leaves no half-seeded database.
 */
export async function seedDemo(db: Db, options: SeedOptions): Promise<boolean> {
  const now = (options.now ?? new Date()).getTime();
  const at = (days: number) => new Date(now + days * DAY);
  // Every start after the first ends here, with one cheap read, before hashing (a few hundred ms of argon2).
  const done = await db.selectFrom('app_meta').select('key').where('key', '=', SEED_KEY).executeTakeFirst();
  if (done) return false;
  // Hash outside the transaction: hashing is slow and needs no database.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => options.hashPassword(a.password)));

  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('app_meta')
      .values({ key: SEED_KEY, value: new Date(now).toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!inserted) return false;

    // The issuing organisation's details, which every default certificate template prints (certificates/organisation.ts).
    await trx
      .insertInto('certificate_organisation')
      .values({
        name: 'Смоленское региональное отделение Всероссийского совета местного самоуправления',
        city: 'г. Смоленск',
        signatories: JSON.stringify([
          { position: 'Председатель Смоленского РО ВСМС', name: 'И. П. Ковалёва' },
          { position: 'Председатель жюри', name: 'А. В. Соколов' },
        ]),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();

    await trx
      .insertInto('users')
      .values(
        DEMO_ACCOUNTS.map((a, i) => ({
          email: a.email,
          last_name: a.lastName,
          first_name: a.firstName,
          middle_name: a.middleName,
          password_hash: hashes[i],
          roles: a.roles,
          // Demo accounts count as confirmed, like accounts made before confirmation existed: they are used at once, on juries too.
          email_verified_at: new Date(now),
        })),
      )
      .onConflict((oc) => oc.column('email').doNothing())
      .execute();

    // Plan item 8: the Smolensk city contest runs in October–December, so it is open for applications now.
    const city = await trx
      .insertInto('contests')
      .values({
        slug: 'luchshiy-predsedatel-tos-smolensk',
        title:
          'Лучший председатель ТОС, лучшая общественная инициатива в решении вопросов местного значения в городе Смоленске',
        description:
          'Конкурс призван расширить инициативу жителей города Смоленска в осуществлении ими права на местное самоуправление, стимулировать дальнейшее развитие территориального общественного самоуправления, совершенствовать работу с населением в решении вопросов местного значения.',
        applications_open_at: at(-20),
        applications_close_at: at(21),
        review_end_at: at(35),
        published_at: at(-21),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('nominations')
      .values([
        {
          contest_id: city.id,
          title: 'Лучший председатель территориального общественного самоуправления',
          position: 1,
        },
        {
          contest_id: city.id,
          title: 'Лучшая общественная инициатива в решении вопросов местного значения',
          position: 2,
        },
      ])
      .execute();

    // Plan item 7: the regional contest; its applications are closed and the jury is at work.
    const region = await trx
      .insertInto('contests')
      .values({
        slug: 'luchshiy-rukovoditel-tos-smolenskoy-oblasti',
        title: 'Лучший руководитель ТОС Смоленской области',
        description:
          'Конкурс «Лучший руководитель территориального общественного самоуправления Смоленской области» проводится в целях развития ТОС как формы организации граждан по месту жительства, развития деловой и социальной активности граждан в решении вопросов местного значения, обобщения и распространения опыта работы лучших ТОС.',
        applications_open_at: at(-60),
        applications_close_at: at(-5),
        review_end_at: at(10),
        published_at: at(-61),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('nominations')
      .values([
        {
          contest_id: region.id,
          title: 'Лучший председатель совета (комитета) территориального общественного самоуправления',
          position: 1,
        },
        { contest_id: region.id, title: 'Лучший старший по дому, подъезду', position: 2 },
        { contest_id: region.id, title: 'Лучший старейшина', position: 3 },
      ])
      .execute();

    await seedDemoApplications(trx, {
      now,
      storeFile: options.storeFile,
      cityId: city.id,
      regionId: region.id,
      organizerEmail: 'organizer@demo.konkurs.local',
      applicantEmail: 'applicant@demo.konkurs.local',
    });
    await seedDemoJury(trx, {
      now,
      cityId: city.id,
      regionId: region.id,
      organizerEmail: 'organizer@demo.konkurs.local',
      jurorEmail: 'juror@demo.konkurs.local',
      chairEmail: 'chair@demo.konkurs.local',
    });

    // Plan item 6: the olympiad for grades 10–11; its window is open.
    const olympiad = await trx
      .insertInto('olympiads')
      .values({
        slug: 'olimpiada-osnovy-msu',
        title: 'Олимпиада по основам местного самоуправления',
        description:
          'Олимпиада для учащихся 10–11-х классов муниципальных общеобразовательных учреждений города Смоленска: тестовые задания и открытые задачи по основам местного самоуправления.',
        grades: [10, 11],
        window_start_at: at(-1),
        window_end_at: at(7),
        time_limit_minutes: 90,
        shuffle_options: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('olympiad_tasks')
      .values(
        DEMO_TASKS.map((t, i) => ({
          olympiad_id: olympiad.id,
          position: i + 1,
          kind: t.kind,
          prompt: t.prompt,
          points: t.points,
          content: JSON.stringify({ options: t.options, left: t.left, right: t.right, items: t.items }),
          key: JSON.stringify(t.key),
        })),
      )
      .execute();
    // The demo student is on the roster of a Smolensk school and signs in with the access code printed at start-up.
    const student = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'student@demo.konkurs.local')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('olympiad_participants')
      .values({
        olympiad_id: olympiad.id,
        user_id: student.id,
        school: 'МБОУ «Средняя школа № 1» г. Смоленска',
        grade: 10,
        class_name: '10А',
        access_code: DEMO_ACCESS_CODE,
        cipher: '1001-АБ',
      })
      .execute();
    await seedDemoOlympiadGrading(trx, {
      now,
      olympiadId: olympiad.id,
      tasks: DEMO_TASKS,
      jurorEmail: 'juror@demo.konkurs.local',
      chairEmail: 'chair@demo.konkurs.local',
    });

    return true;
  });
}
