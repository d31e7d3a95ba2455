import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ContestIdParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Конкурс' }) });
export const OverrideParams = Type.Object({
  id: Type.String({ format: 'uuid', title: 'Конкурс' }),
  applicationId: Type.String({ format: 'uuid', title: 'Заявка' }),
});
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100, title: 'Адрес конкурса' }) });
export const ApplicationIdParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Заявка' }) });

export const OverrideBody = Type.Object({
  place: Type.Union([Type.Integer({ minimum: 1, maximum: 10, title: 'Место' }), Type.Null()], { title: 'Место' }),
  reason: Type.String({ minLength: 10, maxLength: 2000, title: 'Основание решения' }),
});
export type OverrideBody = Static<typeof OverrideBody>;

export const PublishBody = Type.Object({
  confirmIncomplete: Type.Optional(Type.Boolean({ title: 'Опубликовать, хотя не все оценочные листы отправлены' })),
});

const Progress = Type.Object({
  submitted: Type.Integer({ description: 'Отправленных оценочных листов (по назначениям без конфликта интересов)' }),
  expected: Type.Integer({ description: 'Ожидаемых оценочных листов' }),
});

const ResultEntry = Type.Object({
  applicationId: Type.String(),
  registrationNumber: Nullable(Type.String()),
  title: Nullable(Type.String({ description: 'Название работы (поле формы tos_name или первое текстовое поле)' })),
  applicant: Nullable(
    Type.String({ description: 'ФИО заявителя; null у председателя при слепой оценке до публикации итогов' }),
  ),
  municipality: Nullable(Type.String()),
  jurorTotals: Type.Record(Type.String(), Type.Number(), { description: 'Итог каждого члена жюри по его id' }),
  sheetIds: Type.Record(Type.String(), Type.String(), {
    description: 'Отправленный оценочный лист каждого члена жюри по его id (чтобы вернуть его на доработку)',
  }),
  jurorCount: Type.Integer(),
  score: Nullable(Type.Number()),
  spread: Nullable(Type.Object({ min: Type.Number(), max: Type.Number(), range: Type.Number(), sd: Type.Number() })),
  disagreement: Type.Boolean(),
  rank: Nullable(Type.Integer()),
  computedPlace: Nullable(Type.Integer()),
  sharedRank: Type.Boolean(),
  decidedBy: Nullable(Type.String({ description: 'Название критерия, который развёл равные оценки' })),
  override: Nullable(
    Type.Object({
      place: Nullable(Type.Integer()),
      reason: Type.String(),
      setAt: Type.String({ format: 'date-time' }),
    }),
  ),
  finalPlace: Nullable(Type.Integer()),
  criterionMeans: Type.Record(Type.String(), Type.Number(), { description: 'Средний балл жюри по каждому критерию' }),
});

const NominationResults = Type.Object({
  id: Type.String(),
  title: Type.String(),
  rubric: Nullable(Type.Object({ id: Type.String(), version: Type.Integer() })),
  criteria: Type.Array(
    Type.Object({ key: Type.String(), title: Type.String(), max: Type.Number(), weight: Type.Number() }),
  ),
  maxTotal: Type.Number(),
  jurors: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      entries: Type.Integer(),
      meanTotal: Type.Number(),
      leniency: Nullable(
        Type.Number({
          description: 'Средняя разница с остальными членами жюри на тех же работах (без самого члена жюри)',
        }),
      ),
      leniencyText: Type.String({ description: 'Строже или мягче коллег' }),
    }),
  ),
  entries: Type.Array(ResultEntry),
  agreement: Type.Object({
    kendallW: Nullable(Type.Number()),
    icc: Nullable(Type.Number({ description: 'ICC(1,1): согласие оценок отдельных членов жюри' })),
    iccMean: Nullable(Type.Number({ description: 'ICC(1,k): надёжность среднего балла жюри' })),
    text: Type.String(),
  }),
  warnings: Type.Array(
    Type.Object({ kind: Type.String(), message: Type.String(), applicationIds: Type.Array(Type.String()) }),
  ),
  progress: Progress,
  reopened: Type.Array(
    Type.Object({
      applicationId: Type.String(),
      registrationNumber: Nullable(Type.String()),
      jurorId: Type.String(),
      juror: Type.String({ description: 'Чья оценка возвращена' }),
      by: Type.String({ description: 'Кто вернул: ФИО и роль' }),
      at: Type.String({ format: 'date-time' }),
      reason: Type.String(),
    }),
    { description: 'Отправленные оценочные листы, возвращённые на доработку (из журнала действий)' },
  ),
});

export const ContestResultsTable = Type.Object({
  contest: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    method: Type.String(),
    methodLabel: Type.String(),
    places: Type.Integer(),
    showScores: Type.Boolean(),
    resultsPublishedAt: Nullable(Type.String({ format: 'date-time' })),
    namesHidden: Type.Boolean({
      description: 'Слепая оценка: председатель видит только номера работ, пока итоги не опубликованы',
    }),
  }),
  viewer: Type.Union([Type.Literal('organizer'), Type.Literal('chair')]),
  nominations: Type.Array(NominationResults),
  progress: Progress,
  canPublish: Type.Boolean(),
  publishProblem: Nullable(Type.String({ description: 'Почему публиковать нельзя или что требует подтверждения' })),
  publishWarnings: Type.Array(Type.String(), {
    description: 'Что изменения мест сделали с порядком: одно место у нескольких работ, места против рангов',
  }),
});
export type ContestResultsTable = Static<typeof ContestResultsTable>;
export type NominationResults = Static<typeof NominationResults>;
export type ResultEntry = Static<typeof ResultEntry>;

const PublicPerson = Type.Object({
  place: Nullable(Type.Integer()),
  applicant: Type.String(),
  title: Nullable(Type.String()),
  municipality: Nullable(Type.String()),
});

export const PublicResults = Type.Object({
  contest: Type.Object({
    slug: Type.String(),
    title: Type.String(),
    resultsPublishedAt: Type.String({ format: 'date-time' }),
  }),
  nominations: Type.Array(
    Type.Object({
      title: Type.String(),
      winners: Type.Array(PublicPerson, { description: 'Места по порядку' }),
      participants: Type.Array(PublicPerson, { description: 'Участники без места, по алфавиту' }),
    }),
  ),
});
export type PublicResults = Static<typeof PublicResults>;

export const ApplicationResult = Type.Object({
  published: Type.Boolean(),
  ranked: Type.Optional(Type.Boolean({ description: 'Работа участвовала в оценке (заявка была принята)' })),
  contestTitle: Type.Optional(Type.String()),
  nominationTitle: Type.Optional(Type.String()),
  place: Type.Optional(Nullable(Type.Integer())),
  publishedAt: Type.Optional(Type.String({ format: 'date-time' })),
  summary: Type.Optional(
    Nullable(
      Type.Object({
        score: Nullable(Type.Number()),
        maxTotal: Type.Number(),
        methodLabel: Type.String(),
        criteria: Type.Array(Type.Object({ title: Type.String(), max: Type.Number(), mean: Nullable(Type.Number()) })),
        comments: Type.Array(Type.String(), { description: 'Общие комментарии членов жюри без имён' }),
      }),
    ),
  ),
});
export type ApplicationResult = Static<typeof ApplicationResult>;

export const PublishResponse = Type.Object({
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  entries: Type.Integer(),
  mailed: Type.Integer({ description: 'Письма поставлены в очередь: заявителям, чей результат новый или изменился' }),
  unchanged: Type.Integer({ description: 'Заявители, чей результат не изменился с прошлой публикации: им не пишем' }),
});

export const ResultsCheck = Type.Object(
  {
    checked: Type.Integer({ description: 'Сколько работ пересчитано по оценочным листам' }),
    published: Type.Integer({ description: 'Сколько строк в опубликованных итогах' }),
    differences: Type.Array(
      Type.Object({
        applicationId: Type.String(),
        registrationNumber: Nullable(Type.String()),
        nomination: Type.String(),
        what: Type.Union(
          ['place', 'rank', 'score', 'nomination', 'missing', 'extra'].map((w) => Type.Literal(w)),
          {
            description:
              'Что расходится: место, ранг, балл, номинация; missing — работы нет в опубликованных итогах; extra — опубликована, но по листам её нет',
          },
        ),
        published: Nullable(Type.Number()),
        recomputed: Nullable(Type.Number()),
      }),
    ),
  },
  { description: 'Пересчёт опубликованных итогов по оценочным листам: пустой список расхождений — итоги верны' },
);
export type ResultsCheck = Static<typeof ResultsCheck>;

export const JuryMeeting = Type.Object({
  number: Type.String({ maxLength: 30, title: 'Номер протокола' }),
  date: Nullable(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', title: 'Дата заседания' })),
  place: Type.String({ maxLength: 300, title: 'Место заседания' }),
  secretary: Type.String({ maxLength: 200, title: 'Секретарь' }),
  absentJurorIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100, title: 'Не участвовали в заседании' }),
});
export type JuryMeeting = Static<typeof JuryMeeting>;

export const JuryMeetingResponse = Type.Object({
  meeting: JuryMeeting,
  members: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), chair: Type.Boolean() })),
});
export type JuryMeetingResponse = Static<typeof JuryMeetingResponse>;

export const ResultsAccess = Type.Object({
  viewer: Type.Union([Type.Literal('organizer'), Type.Literal('chair'), Type.Null()]),
  message: Nullable(Type.String({ description: 'Почему председатель пока не видит итоги' })),
});
export type ResultsAccess = Static<typeof ResultsAccess>;

const Points = Type.Number();
const Moment = Type.String({ format: 'date-time' });

/** One juror's sheet for the entry, as the report shows it: every criterion, the weighted total, comments, the state. */
const EntryReportSheet = Type.Object({
  jurorId: Type.String(),
  juror: Type.String({ description: 'ФИО члена жюри (организатор видит имена и при слепой оценке)' }),
  chair: Type.Boolean(),
  state: Type.Union(
    ['submitted', 'draft', 'missing', 'conflict'].map((s) => Type.Literal(s)),
    {
      description:
        'submitted — отправлен; draft — черновик; missing — назначен, листа нет; conflict — конфликт интересов',
    },
  ),
  stateLabel: Type.String(),
  counted: Type.Boolean({ description: 'Входит ли лист в итоговую оценку работы' }),
  criteria: Type.Array(
    Type.Object({
      key: Type.String(),
      points: Nullable(Points),
      weighted: Nullable(Type.Number({ description: 'Баллы × вес' })),
      comment: Type.String(),
    }),
  ),
  total: Nullable(Type.Number({ description: 'Взвешенный итог члена жюри (сумма баллов × вес)' })),
  comment: Type.String({ description: 'Общий комментарий' }),
  submittedAt: Nullable(Moment),
  updatedAt: Nullable(Moment),
  standardized: Nullable(
    Type.Object(
      {
        mean: Points,
        sd: Points,
        entries: Type.Integer(),
        z: Points,
      },
      { description: 'Стандартизация: средний итог и стандартное отклонение члена жюри по номинации, z этой работы' },
    ),
  ),
  trimmed: Type.Boolean({ description: 'Усечённое среднее: итог отброшен как самый высокий или самый низкий' }),
});

export const EntryReport = Type.Object(
  {
    contest: Type.Object({
      id: Type.String(),
      slug: Type.String(),
      title: Type.String(),
      blind: Type.Boolean(),
      method: Type.String(),
      methodLabel: Type.String(),
      places: Type.Integer(),
      tieBreakers: Type.Array(Type.Object({ key: Type.String(), title: Type.String() })),
      resultsPublishedAt: Nullable(Moment),
    }),
    nomination: Type.Object({
      id: Type.String(),
      title: Type.String(),
      rubricVersion: Nullable(Type.Integer()),
      maxTotal: Points,
      entries: Type.Integer({ description: 'Работ в номинации' }),
    }),
    entry: Type.Object({
      applicationId: Type.String(),
      registrationNumber: Nullable(Type.String()),
      title: Nullable(Type.String()),
      applicant: Type.String(),
      municipality: Nullable(Type.String()),
    }),
    criteria: Type.Array(
      Type.Object({ key: Type.String(), title: Type.String(), min: Points, max: Points, weight: Points }),
    ),
    sheets: Type.Array(EntryReportSheet),
    conflicts: Type.Array(
      Type.Object({
        jurorId: Type.String(),
        juror: Type.String(),
        declaredAt: Moment,
        declaredBy: Type.String({ description: 'Кто заявил: ФИО и роль' }),
        reason: Type.String(),
      }),
    ),
    result: Type.Object({
      score: Nullable(Points),
      calculation: Type.Array(Type.String(), { description: 'Расчёт итоговой оценки по шагам, словами и числами' }),
      rank: Nullable(Type.Integer()),
      sharedRank: Type.Boolean(),
      computedPlace: Nullable(Type.Integer()),
      finalPlace: Nullable(Type.Integer()),
      decidedBy: Nullable(Type.String({ description: 'Критерий, который развёл равные оценки' })),
      tie: Nullable(
        Type.Object({
          text: Type.String(),
          entries: Type.Array(
            Type.Object({
              applicationId: Type.String(),
              registrationNumber: Nullable(Type.String()),
              title: Nullable(Type.String()),
              rank: Nullable(Type.Integer()),
              tieBreakerMeans: Type.Record(Type.String(), Points),
            }),
          ),
        }),
      ),
    }),
    overrides: Type.Array(
      Type.Object({
        action: Type.Union([Type.Literal('set'), Type.Literal('remove')]),
        place: Nullable(Type.Integer()),
        previousPlace: Nullable(Type.Integer()),
        reason: Type.String(),
        by: Type.String({ description: 'Кто изменил: ФИО' }),
        at: Moment,
      }),
      { description: 'Изменения места вручную и их отмена, из журнала действий' },
    ),
    reopened: Type.Array(
      Type.Object({
        jurorId: Type.String(),
        juror: Type.String(),
        by: Type.String(),
        at: Moment,
        reason: Type.String(),
      }),
      { description: 'Отправленные листы этой работы, возвращённые на доработку, из журнала действий' },
    ),
  },
  { description: 'Отчёт по работе: всё, из чего складывается её итог, чтобы его можно было пересчитать' },
);
export type EntryReport = Static<typeof EntryReport>;
