import type { Db } from '../connect.ts';
import type { RubricCriterion } from '../schema.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Jurors of the demo who have no password (they cannot sign in): their score sheets fill the regional contest's table. */
export const DEMO_JURORS = [
  {
    email: 'demidov.jury@demo.konkurs.local',
    last: 'Демидов',
    first: 'Олег',
    middle: 'Сергеевич',
    municipality: 'Духовщинский',
  },
  {
    email: 'orlova.jury@demo.konkurs.local',
    last: 'Орлова',
    first: 'Светлана',
    middle: 'Юрьевна',
    municipality: 'Починковский',
  },
  {
    email: 'tikhonov.jury@demo.konkurs.local',
    last: 'Тихонов',
    first: 'Михаил',
    middle: 'Андреевич',
    municipality: 'Кардымовский',
  },
] as const;

/** The rubric of both TOS contests (plan items 7 and 8): the maximum weighted total is 50. */
export const TOS_RUBRIC: RubricCriterion[] = [
  {
    key: 'residents',
    title: 'Работа с жителями',
    weight: 1.5,
    min: 0,
    max: 10,
    step: 1,
    description: 'Собрания, праздники, помощь пожилым и семьям, вовлечение молодёжи.',
    levels: [
      { points: 0, text: 'работа с жителями не ведётся' },
      { points: 5, text: 'несколько мероприятий в год' },
      { points: 10, text: 'постоянная работа, большинство жителей вовлечены' },
    ],
  },
  {
    key: 'improvement',
    title: 'Благоустройство территории',
    weight: 1,
    min: 0,
    max: 10,
    step: 1,
    description: 'Дворы, площадки, озеленение, субботники.',
    levels: [],
  },
  {
    key: 'cooperation',
    title: 'Взаимодействие с органами местного самоуправления',
    weight: 1,
    min: 0,
    max: 10,
    step: 1,
    description: 'Участие в решении вопросов местного значения вместе с администрацией и советом депутатов.',
    levels: [],
  },
  {
    key: 'projects',
    title: 'Проекты и гранты',
    weight: 1,
    min: 0,
    max: 10,
    step: 1,
    description: 'Реализованные проекты, участие в грантовых конкурсах, привлечённые средства.',
    levels: [],
  },
  {
    key: 'publicity',
    title: 'Информационная открытость',
    weight: 1,
    min: 0,
    max: 5,
    step: 0.5,
    description: 'Страница в социальных сетях, стенды, публикации в СМИ.',
    levels: [],
  },
];

type Points = [residents: number, improvement: number, cooperation: number, projects: number, publicity: number];
const sheet = ([residents, improvement, cooperation, projects, publicity]: Points) => ({
  residents,
  improvement,
  cooperation,
  projects,
  publicity,
});

/**
 * Submitted score sheets of the regional contest, nomination «Лучший председатель совета (комитета) ТОС», by TOS name and
 * juror's e-mail. The totals (1.5 × residents + the rest) make a table worth looking at: «Сосновый бор» and «Заречье» both
 * score 40 and the tie-breaker «Работа с жителями» separates them; the jurors disagree strongly on «Луч» (44 against 20).
 * The demo juror (juror@) still has «Рассвет» and «Молодёжный» to score.
 */
const REGION_SHEETS: Record<string, Record<string, Points>> = {
  'ТОС «Рассвет»': { chair: [10, 9, 9, 8, 4], demidov: [10, 9, 8, 7, 4], tikhonov: [10, 9, 9, 7, 4] },
  'ТОС «Молодёжный»': { chair: [8, 8, 7, 7, 4], demidov: [8, 7, 7, 6, 4], orlova: [8, 8, 7, 6, 4] },
  'ТОС «Сосновый бор»': {
    chair: [9, 8, 7, 7, 4.5],
    demidov: [9, 7, 7, 6, 4.5],
    orlova: [9, 9, 8, 7, 4.5],
    tikhonov: [9, 8, 7, 7, 4.5],
  },
  'ТОС «Заречье»': {
    chair: [8, 9, 8, 8, 4],
    demidov: [8, 8, 8, 7, 4],
    orlova: [8, 9, 8, 7, 4],
    tikhonov: [8, 8, 8, 8, 4],
  },
  'ТОС «Луч»': {
    chair: [10, 9, 9, 7, 4],
    demidov: [4, 4, 4, 3, 3],
    orlova: [9, 9, 8, 6, 4.5],
    tikhonov: [9, 8, 7, 6, 4.5],
  },
  'ТОС «Дружба»': {
    chair: [6, 7, 6, 4, 4],
    demidov: [6, 7, 7, 5, 4],
    orlova: [6, 6, 5, 4, 4],
    tikhonov: [6, 7, 6, 4, 4],
  },
  'Дом 12 по ул. Ленина': { chair: [8, 9, 7, 5, 3.5], demidov: [7, 9, 7, 6, 3] },
};
/** Entries the demo juror is assigned to and has not scored yet. */
const DEMO_JUROR_ENTRIES = ['ТОС «Рассвет»', 'ТОС «Молодёжный»'];

const COMMENTS: Record<string, string> = {
  chair: 'Работа подтверждена фотографиями и отзывами жителей.',
  demidov: 'Оценка по представленным документам.',
  orlova: 'Хорошая работа, стоит подробнее описать результаты.',
  tikhonov: 'Достойный уровень, есть куда расти в информационной работе.',
};

/**
 * Rubrics, juries, assignments and score sheets for the two TOS contests. The regional contest is under review in blind
 * mode; the city contest has its rubric and jury ready for when applications close. Runs inside the demo seed's transaction.
 */
export async function seedDemoJury(
  trx: Db,
  options: {
    now: number;
    cityId: string;
    regionId: string;
    organizerEmail: string;
    jurorEmail: string;
    chairEmail: string;
  },
): Promise<void> {
  const { now } = options;
  const accounts = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', 'in', [options.organizerEmail, options.jurorEmail, options.chairEmail])
    .execute();
  const id = (email: string) => accounts.find((a) => a.email === email)!.id;
  const organizerId = id(options.organizerEmail);
  const jurors = await trx
    .insertInto('users')
    .values(
      DEMO_JURORS.map((j) => ({
        email: j.email,
        last_name: j.last,
        first_name: j.first,
        middle_name: j.middle,
        password_hash: null,
        roles: ['juror' as const],
        email_verified_at: new Date(now),
      })),
    )
    .returning(['id', 'email'])
    .execute();
  const jurorId: Record<string, string> = { chair: id(options.chairEmail), juror: id(options.jurorEmail) };
  for (const j of DEMO_JURORS) jurorId[j.email.split('.')[0]] = jurors.find((r) => r.email === j.email)!.id;

  await trx
    .updateTable('contests')
    .set({
      jury_method: 'mean',
      jury_tie_breakers: JSON.stringify(['residents', 'improvement']),
      jury_places: 3,
      jury_blind: true,
      jury_per_entry: 4,
      jury_municipality_field: 'municipality',
    })
    .where('id', '=', options.regionId)
    .execute();
  await trx
    .updateTable('contests')
    .set({
      jury_tie_breakers: JSON.stringify(['residents']),
      jury_municipality_field: 'municipality',
      jury_show_scores: true,
    })
    .where('id', '=', options.cityId)
    .execute();

  const rubrics: Record<string, string> = {};
  for (const contestId of [options.regionId, options.cityId]) {
    const rubric = await trx
      .insertInto('rubrics')
      .values({
        contest_id: contestId,
        nomination_id: null,
        version: 1,
        criteria: JSON.stringify(TOS_RUBRIC),
        created_by: organizerId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    rubrics[contestId] = rubric.id;
  }

  const members = [
    { contest_id: options.regionId, user_id: jurorId.chair, is_chair: true, municipality: 'город Смоленск' },
    { contest_id: options.regionId, user_id: jurorId.juror, is_chair: false, municipality: 'город Смоленск' },
    ...DEMO_JURORS.map((j) => ({
      contest_id: options.regionId,
      user_id: jurorId[j.email.split('.')[0]],
      is_chair: false,
      municipality: j.municipality,
    })),
    { contest_id: options.cityId, user_id: jurorId.chair, is_chair: true, municipality: 'город Смоленск' },
    { contest_id: options.cityId, user_id: jurorId.juror, is_chair: false, municipality: 'город Смоленск' },
  ];
  await trx
    .insertInto('jury_members')
    .values(members.map((m) => ({ ...m, added_by: organizerId })))
    .execute();

  const entries = await trx
    .selectFrom('applications')
    .select(['id', 'answers'])
    .where('contest_id', '=', options.regionId)
    .where('status', '=', 'accepted')
    .execute();
  const entryId = (name: string) => entries.find((e) => (e.answers as Record<string, unknown>).tos_name === name)!.id;

  const assignments: Array<{ application_id: string; juror_id: string }> = [];
  const sheets: Array<{
    application_id: string;
    juror_id: string;
    points: string;
    comment: string;
    submitted_at: Date;
  }> = [];
  for (const [name, byJuror] of Object.entries(REGION_SHEETS)) {
    for (const [juror, points] of Object.entries(byJuror)) {
      assignments.push({ application_id: entryId(name), juror_id: jurorId[juror] });
      sheets.push({
        application_id: entryId(name),
        juror_id: jurorId[juror],
        points: JSON.stringify(sheet(points)),
        comment: COMMENTS[juror],
        submitted_at: new Date(now - 2 * DAY),
      });
    }
  }
  for (const name of DEMO_JUROR_ENTRIES) assignments.push({ application_id: entryId(name), juror_id: jurorId.juror });
  await trx
    .insertInto('jury_assignments')
    .values(
      assignments.map((a) => ({
        ...a,
        contest_id: options.regionId,
        assigned_by: organizerId,
        assigned_at: new Date(now - 4 * DAY),
      })),
    )
    .execute();
  await trx
    .insertInto('score_sheets')
    .values(
      sheets.map((s) => ({
        ...s,
        contest_id: options.regionId,
        rubric_id: rubrics[options.regionId],
        status: 'submitted' as const,
        updated_at: s.submitted_at,
      })),
    )
    .execute();
}
