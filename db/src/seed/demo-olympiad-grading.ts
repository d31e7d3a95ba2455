import type { Db } from '../connect.ts';
import type { DemoTask } from './olympiad-tasks.ts';

/**
 * Demo students who have already written the olympiad (closed attempts), so that the demo juror and chair have
 * open answers to grade blind. They have no password and an address nobody can mail; the demo student
 * (DEMKA-SMLNK) is not among them and has not started.
 */
export const DEMO_OLYMPIAD_STUDENTS = [
  {
    email: 'student-demo-a@students.konkurs.invalid',
    last: 'Алексеева',
    first: 'Дарья',
    middle: 'Игоревна',
    school: 'МБОУ «Средняя школа № 2» г. Смоленска',
    grade: 10,
    className: '10Б',
    code: 'DEMAB-GRADE',
    cipher: '2041-КР',
    correct: 16,
  },
  {
    email: 'student-demo-b@students.konkurs.invalid',
    last: 'Громов',
    first: 'Илья',
    middle: 'Павлович',
    school: 'МБОУ «Средняя школа № 7» г. Смоленска',
    grade: 11,
    className: '11А',
    code: 'DEMAC-GRADE',
    cipher: '3187-МТ',
    correct: 12,
  },
  {
    email: 'student-demo-c@students.konkurs.invalid',
    last: 'Жукова',
    first: 'Полина',
    middle: 'Андреевна',
    school: 'МБОУ «Лицей № 1 им. академика Б. Н. Петрова» г. Смоленска',
    grade: 11,
    className: '11Б',
    code: 'DEMAD-GRADE',
    cipher: '4520-ЛС',
    correct: 9,
  },
  {
    email: 'student-demo-d@students.konkurs.invalid',
    last: 'Кузнецов',
    first: 'Матвей',
    middle: 'Олегович',
    school: 'МБОУ «Средняя школа № 2» г. Смоленска',
    grade: 10,
    className: '10А',
    code: 'DEMAE-GRADE',
    cipher: '5902-ДВ',
    correct: 6,
  },
] as const;

/** Answers to the two open cases, by student (index as above): good, middling, short, off the point. */
const OPEN_ANSWERS: [string, string][] = [
  [
    'Сначала инициативная группа проводит собрание жителей трёх домов и принимает решение о создании ТОС, утверждает устав и границы. ' +
      'Затем обращаемся в Смоленский городской Совет за установлением границ ТОС и регистрируем устав в администрации. ' +
      'Деньги: участие в конкурсе проектов ТОС, программа «Формирование комфортной городской среды», инициативное бюджетирование, софинансирование жителей и спонсоры. ' +
      'Дальше составляем смету площадки, освещения и скамеек и отчитываемся перед жителями.',
    'Соберу совет ТОС и актив, закажу независимую оценку деревьев, соберу подписи жителей и подготовлю письменные предложения к проекту. ' +
      'На слушаниях выступлю с альтернативной схемой дорожек, сохраняющей деревья, передам предложения в протокол. ' +
      'После слушаний прослежу, чтобы предложения попали в итоговый документ, и при необходимости обращусь в городской Совет и к депутату округа.',
  ],
  [
    'Жители собираются и создают ТОС, пишут устав. Потом просят администрацию помочь с площадкой и пишут заявку на грант.',
    'Надо прийти на слушания с жителями и сказать, что деревья рубить нельзя. Можно написать петицию.',
  ],
  ['Создать ТОС и попросить денег у администрации.', 'Выступить на слушаниях.'],
  [
    'Пусть управляющая компания всё сделает, это её обязанность.',
    'Не знаю, что делать после слушаний; наверное, ничего, решение всё равно примет мэр.',
  ],
];

/** The answer that earns full points under a closed task's key (see server/src/modules/olympiad/grading/grading.ts). */
function correctAnswer(task: DemoTask): unknown {
  const key = task.key as Record<string, unknown>;
  switch (task.kind) {
    case 'single':
      return { choice: key.correct };
    case 'multiple':
      return { choices: key.correct };
    case 'text':
      return { text: (key.accepted as string[])[0] };
    case 'number':
      return { text: String(key.value) };
    case 'matching':
      return { pairs: key.pairs };
    case 'ordering':
      return { order: key.order };
    default:
      return {};
  }
}

export async function seedDemoOlympiadGrading(
  trx: Db,
  options: { now: number; olympiadId: string; tasks: DemoTask[]; jurorEmail: string; chairEmail: string },
): Promise<void> {
  const taskRows = await trx
    .selectFrom('olympiad_tasks')
    .select(['id', 'position'])
    .where('olympiad_id', '=', options.olympiadId)
    .orderBy('position')
    .execute();
  const users = await trx
    .insertInto('users')
    .values(
      DEMO_OLYMPIAD_STUDENTS.map((s) => ({
        email: s.email,
        last_name: s.last,
        first_name: s.first,
        middle_name: s.middle,
        password_hash: null,
        roles: ['student' as const],
      })),
    )
    .returning(['id', 'email'])
    .execute();
  const HOUR = 60 * 60 * 1000;
  for (const [n, s] of DEMO_OLYMPIAD_STUDENTS.entries()) {
    const userId = users.find((u) => u.email === s.email)!.id;
    const participant = await trx
      .insertInto('olympiad_participants')
      .values({
        olympiad_id: options.olympiadId,
        user_id: userId,
        school: s.school,
        grade: s.grade,
        class_name: s.className,
        access_code: s.code,
        cipher: s.cipher,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The first `correct` closed tasks answered right, the rest left blank; both open cases answered.
    let closedSeen = 0;
    let autoScore = 0;
    const answers = options.tasks
      .map((task, i) => {
        if (task.kind === 'open') {
          const text = OPEN_ANSWERS[n][options.tasks.slice(0, i).filter((t) => t.kind === 'open').length];
          return { task_id: taskRows[i].id, answer: JSON.stringify({ text }), auto_points: null };
        }
        closedSeen += 1;
        if (closedSeen > s.correct) return null;
        autoScore += task.points;
        return { task_id: taskRows[i].id, answer: JSON.stringify(correctAnswer(task)), auto_points: task.points };
      })
      .filter((a) => a !== null);
    const started = new Date(options.now - (20 + n) * HOUR);
    const attempt = await trx
      .insertInto('olympiad_attempts')
      .values({
        olympiad_id: options.olympiadId,
        participant_id: participant.id,
        user_id: userId,
        started_at: started,
        deadline_at: new Date(started.getTime() + 90 * 60 * 1000),
        closed_at: new Date(started.getTime() + 70 * 60 * 1000),
        close_reason: 'finished',
        seed: 1000 + n,
        auto_score: autoScore,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('olympiad_answers')
      .values(
        answers.map((a) => ({
          ...a,
          attempt_id: attempt.id,
          seq: 1,
          saved_at: new Date(started.getTime() + 60 * 60 * 1000),
        })),
      )
      .execute();
  }

  // The demo juror grades, the demo chair grades and decides disputes.
  const graders = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', 'in', [options.jurorEmail, options.chairEmail])
    .execute();
  await trx
    .insertInto('olympiad_graders')
    .values(
      graders.map((g) => ({
        olympiad_id: options.olympiadId,
        user_id: g.id,
        is_chair: g.email === options.chairEmail,
      })),
    )
    .execute();
}
