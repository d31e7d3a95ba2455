import { crc32, deflateSync } from 'node:zlib';
import type { Db } from '../connect.ts';
import type { ApplicationStatus } from '../schema.ts';
import { SMOLENSK_MUNICIPALITIES } from './municipalities.ts';

/** Stores demo attachment bytes and returns the storage key (the server's file storage). */
export type StoreDemoFile = (bytes: Buffer) => Promise<string>;

const DAY = 24 * 60 * 60 * 1000;

/** The form of both TOS contests: every kind of field, the municipalities of the region as a choice list. */
export function tosFormFields() {
  return [
    {
      key: 'tos_name',
      kind: 'text',
      label: 'Наименование ТОС',
      help: 'Как в уставе или решении о создании.',
      required: true,
      personal: false,
      maxLength: 300,
    },
    {
      key: 'municipality',
      kind: 'choice',
      label: 'Муниципальное образование',
      required: true,
      personal: false,
      options: [...SMOLENSK_MUNICIPALITIES],
    },
    {
      key: 'phone',
      kind: 'phone',
      label: 'Контактный телефон',
      help: 'Например, +7 900 123-45-67.',
      required: true,
      personal: true,
    },
    { key: 'founded', kind: 'date', label: 'Дата создания ТОС', required: false, personal: false, notFuture: true },
    {
      key: 'residents',
      kind: 'number',
      label: 'Число жителей на территории ТОС',
      required: false,
      personal: false,
      min: 1,
      max: 1000000,
      integer: true,
    },
    {
      key: 'about',
      kind: 'textarea',
      label: 'Описание деятельности за последний год',
      help: 'Что сделано, кто участвовал, какие результаты.',
      required: true,
      personal: false,
      maxLength: 3000,
    },
    {
      key: 'areas',
      kind: 'multichoice',
      label: 'Направления работы',
      required: false,
      personal: false,
      options: ['Благоустройство', 'Работа с молодёжью', 'Помощь пожилым', 'Культура и досуг', 'Безопасность'],
      maxChoices: 3,
    },
    {
      key: 'legal_entity',
      kind: 'yesno',
      label: 'ТОС зарегистрирован как юридическое лицо',
      required: false,
      personal: false,
    },
    { key: 'contact_email', kind: 'email', label: 'Электронная почта ТОС', required: false, personal: true },
    {
      key: 'photos',
      kind: 'file',
      label: 'Фотографии',
      help: 'Фото до и после, мероприятия.',
      required: true,
      personal: false,
      accept: ['image'],
      maxSizeMb: 10,
      maxFiles: 5,
    },
    {
      key: 'documents',
      kind: 'file',
      label: 'Документы',
      help: 'Характеристика, ходатайство, публикации.',
      required: false,
      personal: false,
      accept: ['pdf', 'document'],
      maxSizeMb: 10,
      maxFiles: 3,
    },
    {
      key: 'consent',
      kind: 'consent',
      label: 'Согласие на обработку персональных данных',
      required: true,
      personal: false,
      consentText:
        'Я даю согласие организаторам конкурса (Смоленское региональное отделение ВСМС, комитет по местному самоуправлению Администрации города Смоленска) на обработку моих персональных данных, указанных в заявке, в целях участия в конкурсе, оценки заявки, подведения и публикации итогов в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».',
    },
  ];
}

export const TOS_RULES_MARKDOWN = `## 1. Общие положения
1.1. Конкурс проводится в целях развития территориального общественного самоуправления (ТОС), поддержки деловой и социальной активности жителей и распространения лучшего опыта.

1.2. Организаторы: Смоленское региональное отделение ВСМС и комитет по местному самоуправлению Администрации города Смоленска.

## 2. Участники
Председатели советов (комитетов) ТОС, старшие по домам и подъездам, инициативные группы жителей.

## 3. Порядок подачи заявок
- заявка подаётся на платформе Konkurs до окончания срока приёма (время московское);
- к заявке прилагаются фотографии и документы о деятельности;
- обязательное условие — согласие на обработку персональных данных.

## 4. Оценка
Заявки оценивает конкурсная комиссия по критериям: результативность, вовлечённость жителей, новизна, устойчивость.`;

/** A small solid-colour PNG, so that demo attachments have a visible preview. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function smallPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n` +
      `4 0 obj<</Length ${text.length + 35}>>stream\nBT /F1 18 Tf 72 760 Td (${text}) Tj ET\nendstream endobj\n` +
      `5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

interface DemoPerson {
  email: string;
  last: string;
  first: string;
  middle: string;
}

/** People who applied in the demo; they have no password (they cannot sign in), only the demo applicant can. */
export const DEMO_APPLICANTS: readonly DemoPerson[] = [
  { email: 'petrova.tos@demo.konkurs.local', last: 'Петрова', first: 'Анна', middle: 'Игоревна' },
  { email: 'sidorov.tos@demo.konkurs.local', last: 'Сидоров', first: 'Виктор', middle: 'Павлович' },
  { email: 'kuznetsova.tos@demo.konkurs.local', last: 'Кузнецова', first: 'Елена', middle: 'Михайловна' },
  { email: 'morozov.tos@demo.konkurs.local', last: 'Морозов', first: 'Геннадий', middle: 'Ильич' },
  { email: 'lebedeva.tos@demo.konkurs.local', last: 'Лебедева', first: 'Ольга', middle: 'Николаевна' },
  { email: 'volkov.tos@demo.konkurs.local', last: 'Волков', first: 'Сергей', middle: 'Анатольевич' },
  { email: 'zaitseva.tos@demo.konkurs.local', last: 'Зайцева', first: 'Татьяна', middle: 'Васильевна' },
  { email: 'nikitin.tos@demo.konkurs.local', last: 'Никитин', first: 'Павел', middle: 'Олегович' },
  { email: 'fedorova.tos@demo.konkurs.local', last: 'Фёдорова', first: 'Людмила', middle: 'Ивановна' },
];

interface DemoApplication {
  who: string;
  nomination: number;
  status: ApplicationStatus;
  answers: Record<string, string | string[]>;
  comment?: string;
  photo?: [number, number, number];
  pdf?: string;
}

/**
 * Forms, rules and applications in various states for the two TOS contests, with small attachments,
 * so that a fresh start shows a living platform. Runs inside the demo seed's transaction.
 */
export async function seedDemoApplications(
  trx: Db,
  options: {
    now: number;
    storeFile?: StoreDemoFile;
    cityId: string;
    regionId: string;
    organizerEmail: string;
    applicantEmail: string;
  },
): Promise<void> {
  const { now } = options;
  const ids = new Map<string, string>();
  const users = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', 'in', [options.organizerEmail, options.applicantEmail])
    .execute();
  for (const u of users) ids.set(u.email, u.id);
  const people = await trx
    .insertInto('users')
    .values(
      DEMO_APPLICANTS.map((p) => ({
        email: p.email,
        last_name: p.last,
        first_name: p.first,
        middle_name: p.middle,
        password_hash: null,
        roles: ['applicant' as const],
        email_verified_at: new Date(now),
      })),
    )
    .onConflict((oc) => oc.column('email').doUpdateSet((eb) => ({ email: eb.ref('excluded.email') })))
    .returning(['id', 'email'])
    .execute();
  for (const p of people) ids.set(p.email, p.id);
  const organizerId = ids.get(options.organizerEmail) ?? null;

  const base = (name: string, municipality: string, about: string): Record<string, string | string[]> => ({
    tos_name: name,
    municipality,
    phone: '+79001234567',
    founded: '2016-05-12',
    residents: '840',
    about,
    areas: ['Благоустройство', 'Культура и досуг'],
    legal_entity: 'no',
    consent: 'yes',
  });

  const plans: Array<{ contestId: string; prefix: string; year: number; applications: DemoApplication[] }> = [
    {
      contestId: options.cityId,
      prefix: 'ТОС',
      year: Number(
        new Intl.DateTimeFormat('en', { timeZone: 'Europe/Moscow', year: 'numeric' }).format(new Date(now + 21 * DAY)),
      ),
      applications: [
        {
          who: DEMO_APPLICANTS[0].email,
          nomination: 0,
          status: 'submitted',
          answers: base(
            'ТОС «Заднепровье»',
            'город Смоленск',
            'Благоустроили детскую площадку, провели три субботника и праздник двора.',
          ),
          photo: [46, 125, 50],
          pdf: 'Harakteristika',
        },
        {
          who: DEMO_APPLICANTS[1].email,
          nomination: 1,
          status: 'submitted',
          answers: base(
            'ТОС «Киселёвка»',
            'город Смоленск',
            'Инициатива по освещению улиц частного сектора: собрали подписи, добились установки 12 фонарей.',
          ),
          photo: [21, 101, 192],
        },
        {
          who: DEMO_APPLICANTS[2].email,
          nomination: 0,
          status: 'returned',
          answers: base('ТОС «Королёвка»', 'город Смоленск', 'Работа совета ТОС.'),
          comment: 'Приложите фотографии мероприятий и опишите результаты подробнее.',
          photo: [198, 40, 40],
        },
        {
          who: options.applicantEmail,
          nomination: 0,
          status: 'draft',
          answers: { tos_name: 'ТОС «Покровка»', municipality: 'город Смоленск' },
        },
      ],
    },
    {
      contestId: options.regionId,
      prefix: 'РТОС',
      year: Number(
        new Intl.DateTimeFormat('en', { timeZone: 'Europe/Moscow', year: 'numeric' }).format(new Date(now - 5 * DAY)),
      ),
      applications: [
        {
          who: options.applicantEmail,
          nomination: 0,
          status: 'accepted',
          answers: base(
            'ТОС «Рассвет»',
            'Вяземский',
            'Создали сквер, организовали клуб для пожилых жителей, провели 15 мероприятий.',
          ),
          photo: [251, 140, 0],
          pdf: 'Hodataystvo',
        },
        {
          who: DEMO_APPLICANTS[0].email,
          nomination: 1,
          status: 'accepted',
          answers: base('Дом 12 по ул. Ленина', 'Сафоновский', 'Старшая по дому: ремонт подъездов, озеленение двора.'),
          photo: [106, 27, 154],
        },
        {
          who: DEMO_APPLICANTS[3].email,
          nomination: 2,
          status: 'submitted',
          answers: base(
            'ТОС «Ветеран»',
            'Ярцевский',
            'Сорок лет общественной работы, наставничество молодых активистов.',
          ),
          photo: [0, 121, 107],
        },
        {
          who: DEMO_APPLICANTS[1].email,
          nomination: 2,
          status: 'rejected',
          answers: base('ТОС «Надежда»', 'Рославльский', 'Заявка подана не по номинации.'),
          comment: 'Заявитель не соответствует условиям номинации «Лучший старейшина» (раздел 2 положения).',
        },
        {
          who: DEMO_APPLICANTS[2].email,
          nomination: 1,
          status: 'withdrawn',
          answers: base('Дом 5 по ул. Мира', 'Гагаринский', 'Черновик заявки.'),
        },
        // The entries the jury is scoring (demo-jury.ts): enough for a real table with a tie and a disagreement.
        {
          who: DEMO_APPLICANTS[4].email,
          nomination: 0,
          status: 'accepted',
          answers: base(
            'ТОС «Молодёжный»',
            'город Десногорск',
            'Молодёжный совет ТОС: спортивная площадка, турнир дворовых команд, волонтёрский отряд.',
          ),
          photo: [2, 119, 189],
        },
        {
          who: DEMO_APPLICANTS[5].email,
          nomination: 0,
          status: 'accepted',
          answers: base(
            'ТОС «Сосновый бор»',
            'Смоленский',
            'Экологические субботники, высадка 200 деревьев, школа активного жителя для соседей.',
          ),
          photo: [56, 142, 60],
        },
        {
          who: DEMO_APPLICANTS[6].email,
          nomination: 0,
          status: 'accepted',
          answers: base(
            'ТОС «Заречье»',
            'Рославльский',
            'Ремонт моста через ручей силами жителей, грант на детскую площадку, газета ТОС.',
          ),
          photo: [121, 85, 72],
        },
        {
          who: DEMO_APPLICANTS[7].email,
          nomination: 0,
          status: 'accepted',
          answers: base(
            'ТОС «Луч»',
            'Гагаринский',
            'Народная дружина, освещение улиц, праздник улицы; часть работ не подтверждена документами.',
          ),
          photo: [255, 179, 0],
        },
        {
          who: DEMO_APPLICANTS[8].email,
          nomination: 0,
          status: 'accepted',
          answers: base('ТОС «Дружба»', 'Ярцевский', 'Совет ТОС провёл два собрания жителей и субботник.'),
          photo: [94, 53, 177],
        },
      ],
    },
  ];

  for (const plan of plans) {
    await trx
      .updateTable('contests')
      .set({ rules_markdown: TOS_RULES_MARKDOWN, number_prefix: plan.prefix })
      .where('id', '=', plan.contestId)
      .execute();
    const form = await trx
      .insertInto('application_forms')
      .values({
        contest_id: plan.contestId,
        nomination_id: null,
        version: 1,
        fields: JSON.stringify(tosFormFields()),
        created_by: organizerId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const nominations = await trx
      .selectFrom('nominations')
      .select('id')
      .where('contest_id', '=', plan.contestId)
      .orderBy('position')
      .execute();
    let sequence = 0;
    for (const [i, a] of plan.applications.entries()) {
      const applicantId = ids.get(a.who)!;
      const submitted = a.status !== 'draft' && !(a.status === 'withdrawn');
      const number = submitted ? `${plan.prefix}-${plan.year}-${String(++sequence).padStart(3, '0')}` : null;
      const createdAt = new Date(now - (10 - i) * DAY);
      const submittedAt = submitted ? new Date(createdAt.getTime() + DAY) : null;
      const row = await trx
        .insertInto('applications')
        .values({
          contest_id: plan.contestId,
          nomination_id: nominations[a.nomination].id,
          applicant_id: applicantId,
          form_id: form.id,
          status: a.status,
          answers: JSON.stringify(a.answers),
          registration_number: number,
          submitted_at: submittedAt,
          updated_at: submittedAt ?? createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const history: Array<{
        from: ApplicationStatus | null;
        to: ApplicationStatus;
        actor: string | null;
        comment?: string | null;
        at: Date;
      }> = [{ from: null, to: 'draft', actor: applicantId, at: createdAt }];
      if (submitted) history.push({ from: 'draft', to: 'submitted', actor: applicantId, at: submittedAt! });
      if (['accepted', 'rejected', 'returned'].includes(a.status)) {
        history.push({
          from: 'submitted',
          to: a.status,
          actor: organizerId,
          comment: a.comment ?? null,
          at: new Date(submittedAt!.getTime() + DAY),
        });
      }
      if (a.status === 'withdrawn')
        history.push({
          from: 'draft',
          to: 'withdrawn',
          actor: applicantId,
          comment: 'Подам заявку в следующем году.',
          at: new Date(createdAt.getTime() + DAY),
        });
      for (const h of history) {
        await trx
          .insertInto('application_status_history')
          .values({
            application_id: row.id,
            from_status: h.from,
            to_status: h.to,
            actor_id: h.actor,
            comment: h.comment ?? null,
            at: h.at,
          })
          .execute();
      }
      if (submitted) {
        await trx.updateTable('contests').set({ last_number: sequence }).where('id', '=', plan.contestId).execute();
        await trx
          .insertInto('registration_counters')
          .values({ prefix: plan.prefix, year: plan.year, last_number: sequence })
          .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet({ last_number: sequence }))
          .execute();
      }
      if (options.storeFile) {
        const files: Array<[string, string, string, Buffer]> = [];
        if (a.photo) files.push(['photos', 'Фото двора.png', 'image/png', solidPng(160, 120, a.photo)]);
        if (a.pdf) files.push(['documents', 'Характеристика.pdf', 'application/pdf', smallPdf(a.pdf)]);
        for (const [field, name, mime, bytes] of files) {
          const key = await options.storeFile(bytes);
          const file = await trx
            .insertInto('stored_files')
            .values({
              owner_id: applicantId,
              purpose: 'application',
              storage_key: key,
              original_name: name,
              mime_type: mime,
              size_bytes: bytes.length,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('application_files')
            .values({ file_id: file.id, application_id: row.id, field_key: field })
            .execute();
        }
      }
    }
  }
}
