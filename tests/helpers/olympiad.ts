import { randomBytes } from 'node:crypto';
import type { Db } from '@konkurs/db';
import type { App } from './app.ts';

/** An olympiad straight in the database; its window is open now unless told otherwise. */
export async function createOlympiad(
  db: Db,
  fields: {
    windowStartAt?: Date;
    windowEndAt?: Date;
    timeLimitMinutes?: number;
    grades?: number[];
    shuffleTasks?: boolean;
    shuffleOptions?: boolean;
    graceSeconds?: number;
  } = {},
): Promise<string> {
  const now = Date.now();
  const row = await db
    .insertInto('olympiads')
    .values({
      slug: `olymp-${randomBytes(4).toString('hex')}`,
      title: 'Олимпиада по основам местного самоуправления',
      description: '',
      grades: fields.grades ?? [10, 11],
      window_start_at: fields.windowStartAt ?? new Date(now - 60 * 60 * 1000),
      window_end_at: fields.windowEndAt ?? new Date(now + 24 * 60 * 60 * 1000),
      time_limit_minutes: fields.timeLimitMinutes ?? 90,
      shuffle_tasks: fields.shuffleTasks ?? false,
      shuffle_options: fields.shuffleOptions ?? false,
      grace_seconds: fields.graceSeconds,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One task of each kind, with known correct answers (see CORRECT_ANSWERS). */
export const TASK_SET = {
  format: 'konkurs-olympiad-tasks' as const,
  version: 1 as const,
  tasks: [
    {
      kind: 'single',
      prompt: 'Дата Дня местного самоуправления?',
      points: 1,
      options: [
        { id: 'a', text: '12 июня' },
        { id: 'b', text: '21 апреля' },
      ],
      key: { correct: 'b' },
    },
    {
      kind: 'multiple',
      prompt: 'Органы МСУ?',
      points: 2,
      options: [
        { id: 'a', text: 'Местная администрация' },
        { id: 'b', text: 'Прокуратура' },
        { id: 'c', text: 'Представительный орган' },
      ],
      key: { correct: ['a', 'c'], scoring: 'partial' },
    },
    {
      kind: 'text',
      prompt: 'Расшифруйте ТОС',
      points: 1,
      key: { accepted: ['территориальное общественное самоуправление'] },
    },
    { kind: 'number', prompt: 'Номер закона об общих принципах МСУ', points: 1, key: { value: 131, tolerance: 0 } },
    {
      kind: 'matching',
      prompt: 'Соответствие',
      points: 2,
      left: [
        { id: 'l1', text: 'Совет' },
        { id: 'l2', text: 'Администрация' },
      ],
      right: [
        { id: 'r1', text: 'исполнительный' },
        { id: 'r2', text: 'представительный' },
      ],
      key: { pairs: { l1: 'r2', l2: 'r1' }, scoring: 'partial' },
    },
    {
      kind: 'ordering',
      prompt: 'Порядок',
      points: 2,
      items: [
        { id: 'i1', text: '1985' },
        { id: 'i2', text: '1993' },
        { id: 'i3', text: '2003' },
      ],
      key: { order: ['i1', 'i2', 'i3'] },
    },
    { kind: 'open', prompt: 'Кейс: двор', points: 10, key: { guidance: 'Критерии для жюри: секретная подсказка' } },
  ],
};

/** The correct answer to each task of TASK_SET, by position; the closed ones are worth 9 points together. */
export const CORRECT_ANSWERS = [
  { choice: 'b' },
  { choices: ['a', 'c'] },
  { text: 'Территориальное  общественное самоуправление' },
  { text: '131' },
  { pairs: { l1: 'r2', l2: 'r1' } },
  { order: ['i1', 'i2', 'i3'] },
  { text: 'Создать ТОС и подать заявку на конкурс.' },
];

export async function importTasks(
  app: App,
  cookie: string,
  olympiadId: string,
  set: unknown = TASK_SET,
): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/tasks/import?mode=replace`,
    headers: { cookie },
    payload: set as object,
  });
  if (res.statusCode !== 200) throw new Error(`import answered ${res.statusCode}: ${res.body}`);
}

/** A multipart/form-data body with one file field, for app.inject. */
export function multipartFile(
  filename: string,
  data: Buffer | string,
  field = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----konkurs${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(data) ? data : Buffer.from(data),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface RosterStudent {
  participantId: string;
  accessCode: string;
  cookie: string;
  fullName: string;
}

/** Imports a roster of `count` students (class 10А unless `classOf` says otherwise) through the API and signs each in with their access code. */
export async function enrolStudents(
  app: App,
  organizerCookie: string,
  olympiadId: string,
  count: number,
  classOf: (i: number) => string = () => '10А',
): Promise<RosterStudent[]> {
  const lines = ['ФИО;Школа;Класс'];
  for (let i = 0; i < count; i++) lines.push(`Ученикова${i} Анна Сергеевна;Школа № ${i + 1};${classOf(i)}`);
  const { payload, headers } = multipartFile('roster.csv', lines.join('\n'));
  const res = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/participants/import`,
    headers: { ...headers, cookie: organizerCookie },
    payload,
  });
  if (res.statusCode !== 200) throw new Error(`roster import answered ${res.statusCode}: ${res.body}`);
  const added = res.json().added as { id: string; accessCode: string; fullName: string }[];
  const students: RosterStudent[] = [];
  for (const p of added) {
    const login = await app.inject({ method: 'POST', url: '/api/auth/access-code', payload: { code: p.accessCode } });
    if (login.statusCode !== 200) throw new Error(`access-code sign-in answered ${login.statusCode}: ${login.body}`);
    const line = ([] as string[])
      .concat(login.headers['set-cookie'] as string | string[])
      .find((l) => l.startsWith('konkurs_session='))!;
    students.push({ participantId: p.id, accessCode: p.accessCode, cookie: line.split(';')[0], fullName: p.fullName });
  }
  return students;
}

/** The test task set without its open tasks: totals are final as soon as the attempts close. */
export const CLOSED_TASK_SET = { ...TASK_SET, tasks: TASK_SET.tasks.filter((task) => task.kind !== 'open') };

/**
 * The student starts, answers the first `correct` tasks right, then any `also` answers (by task index), and finishes.
 * Every save must be acknowledged.
 */
export async function takeOlympiad(
  app: App,
  db: Db,
  olympiadId: string,
  student: RosterStudent,
  correct: number,
  also: { task: number; answer: unknown }[] = [],
): Promise<void> {
  const headers = { cookie: student.cookie };
  const begun = await app.inject({ method: 'POST', url: `/api/olympiads/${olympiadId}/attempt`, headers });
  const attemptId = begun.json().attempt.id;
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .execute();
  const answers = [...CORRECT_ANSWERS.slice(0, correct).map((answer, task) => ({ task, answer })), ...also];
  for (const [i, { task, answer }] of answers.entries()) {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/attempts/${attemptId}/answers/${tasks[task].id}`,
      headers,
      payload: { answer, seq: i + 1 },
    });
    if (res.statusCode !== 200) throw new Error(`saving an answer answered ${res.statusCode}: ${res.body}`);
  }
  await app.inject({ method: 'POST', url: `/api/attempts/${attemptId}/finish`, headers });
}
