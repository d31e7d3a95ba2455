import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { demoJury, type DemoJury } from '../helpers/jury-demo.ts';
import { pdfText } from '../helpers/pdf.ts';

// The protocol a jury signs (issue 11, item 6): the meeting set by the organizer, quorum, conflicts marked as such,
// missing sheets, how ties were broken, «РЕШИЛИ:» and the signatures of those who took part.

let demo: DemoJury;
let t: TestDb;
let app: App;
let contestId: string;
let cookies: Record<string, string>;

beforeAll(async () => {
  demo = await demoJury(['организатор', 'председатель жюри', 'член жюри']);
  ({ t, app, contestId, cookies } = demo);
});

afterAll(async () => {
  await demo?.close();
});

type Member = { id: string; name: string; chair: boolean };
const meetingUrl = () => `/api/contests/${contestId}/jury/meeting`;
const getMeeting = async () => {
  const res = await app.inject({ method: 'GET', url: meetingUrl(), headers: { cookie: cookies['организатор'] } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { meeting: Record<string, unknown>; members: Member[] };
};
const putMeeting = (payload: object, cookie = cookies['организатор']) =>
  app.inject({ method: 'PUT', url: meetingUrl(), headers: { cookie }, payload });
const protocol = async () => {
  const res = await app.inject({
    method: 'GET',
    url: `/api/contests/${contestId}/protocol.pdf`,
    headers: { cookie: cookies['организатор'] },
  });
  expect(res.statusCode).toBe(200);
  return pdfText(res.rawPayload);
};
const meeting = (members: Member[]) => ({
  number: '3',
  date: '2026-12-15',
  place: 'г. Смоленск, ул. Октябрьской революции, д. 1/2',
  secretary: 'Морозова Елена Игоревна',
  absentJurorIds: [members.find((m) => m.name.startsWith('Тихонов'))!.id],
});

describe('the jury meeting and its protocol', () => {
  test('nothing set: the jury in the protocol’s order, the chair first; the protocol has no number yet', async () => {
    const { meeting, members } = await getMeeting();
    expect(meeting).toEqual({ number: '', date: null, place: '', secretary: '', absentJurorIds: [] });
    expect(members[0]).toMatchObject({ chair: true, name: 'Белова Елена Николаевна' });
    expect(members).toHaveLength(5);
    const text = await protocol();
    expect(text).toMatch(/^\s*ПРОТОКОЛ\n/);
    expect(text).toContain('В заседании участвовали 5 из 5 членов жюри. Кворум имеется');
  });

  test('bad input is refused at its field and changes nothing', async () => {
    const { members } = await getMeeting();
    const impossible = await putMeeting({ ...meeting(members), date: '2026-02-30' });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.fields.date).toContain('Дата заседания');
    const stranger = await putMeeting({
      ...meeting(members),
      absentJurorIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.fields.absentJurorIds).toContain('нет в составе жюри');
    const nobody = await putMeeting({ ...meeting(members), absentJurorIds: members.map((m) => m.id) });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().error.fields.absentJurorIds).toContain('хотя бы один');
    const long = await putMeeting({ ...meeting(members), number: 'x'.repeat(31) });
    expect(long.statusCode).toBe(400);
    expect((await getMeeting()).meeting.number).toBe('');
  });

  test('only organizers set or read it', async () => {
    const { members } = await getMeeting();
    for (const label of ['председатель жюри', 'член жюри']) {
      expect((await putMeeting(meeting(members), cookies[label])).statusCode).toBe(403);
      expect(
        (await app.inject({ method: 'GET', url: meetingUrl(), headers: { cookie: cookies[label] } })).statusCode,
      ).toBe(403);
    }
    expect((await app.inject({ method: 'PUT', url: meetingUrl(), payload: meeting(members) })).statusCode).toBe(401);
  });

  test('saved and audited; the protocol states the meeting, quorum, conflicts, missing sheets, ties, the decision and signatures', async () => {
    const { members } = await getMeeting();
    const saved = await putMeeting(meeting(members));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().meeting).toMatchObject({ number: '3', date: '2026-12-15' });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'jury.meeting.set')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ number: '3', secretary: 'Морозова Елена Игоревна' });

    // A declared conflict on an entry the juror was never given: «конфл.», not «—».
    const sokolov = members.find((m) => m.name.startsWith('Соколов'))!;
    const entry = await t.db
      .selectFrom('applications')
      .select('id')
      .where('contest_id', '=', contestId)
      .where('registration_number', '=', 'РТОС-2026-006')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('jury_conflicts')
      .values({ application_id: entry.id, juror_id: sokolov.id, contest_id: contestId, reason: 'Соседи по улице' })
      .execute();

    const text = await protocol();
    for (const expected of [
      'ПРОТОКОЛ № 3',
      '15 декабря 2026 г.',
      'г. Смоленск, ул. Октябрьской революции, д. 1/2',
      'Тихонов Михаил Андреевич — член жюри (в заседании не участвовал(а))',
      'В заседании участвовали 4 из 5 членов жюри. Кворум имеется',
      'среднее арифметическое',
      'по критерию «Работа с жителями», затем «Благоустройство территории»',
      'Оценочные листы: отправлено 22 из 24. Не отправлены: РТОС-2026-001 — Соколов Андрей Викторович',
      'порядок определил критерий «Работа с жителями»',
      'РЕШИЛИ:',
      '1 место — ТОС «Рассвет» (Иванова Мария Сергеевна), заявка РТОС-2026-001',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(expected);
    }
    const row = text.split('\n').find((l) => l.includes('РТОС-2026-006'))!;
    expect(row).toContain('конфл.');
    // The signatures: the chair, the secretary and the members who took part, all on the last page; not the absent one.
    const lastPage = text
      .split('\f')
      .filter((p) => p.trim())
      .at(-1)!;
    const signatures = lastPage.slice(lastPage.indexOf('Председатель жюри'));
    for (const name of [
      'Белова Елена Николаевна',
      'Морозова Елена Игоревна',
      'Демидов Олег Сергеевич',
      'Орлова Светлана Юрьевна',
      'Соколов Андрей Викторович',
    ])
      expect(signatures).toContain(name);
    expect(signatures).not.toContain('Тихонов');
  });
});
