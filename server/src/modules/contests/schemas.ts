import { Type, type Static } from '@sinclair/typebox';
import { ContestPhase } from '../events/schemas.ts';

const DateTime = (title: string) => Type.String({ format: 'date-time', title, examples: ['2026-12-01T21:00:00.000Z'] });

export const NominationInput = Type.Object({
  id: Type.Optional(Type.String({ format: 'uuid', title: 'Номинация' })),
  title: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S', title: 'Название номинации' }),
});

export const ContestBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S', title: 'Название конкурса' }),
  /** Left out: made from the title (as for olympiads), with -2, -3 … when taken; on a change, the old one stays. */
  slug: Type.Optional(
    Type.String({
      minLength: 3,
      maxLength: 100,
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      title: 'Адрес страницы',
      examples: ['luchshiy-tos-2027'],
    }),
  ),
  description: Type.String({ maxLength: 5000, title: 'Краткое описание' }),
  rulesMarkdown: Type.String({ maxLength: 100_000, title: 'Положение' }),
  applicationsOpenAt: DateTime('Начало приёма заявок'),
  applicationsCloseAt: DateTime('Окончание приёма заявок'),
  reviewEndAt: DateTime('Окончание работы жюри'),
  resultsAt: Type.Union([DateTime('Объявление итогов'), Type.Null()]),
  numberPrefix: Type.String({
    minLength: 1,
    maxLength: 20,
    pattern: '^[A-Za-zА-ЯЁа-яё0-9]+$',
    title: 'Префикс номера заявки',
    examples: ['ТОС'],
  }),
  multiplePerNomination: Type.Boolean({ title: 'Несколько заявок в номинации от одного заявителя' }),
  nominations: Type.Array(NominationInput, { minItems: 1, maxItems: 50, title: 'Номинации' }),
});
export type ContestBody = Static<typeof ContestBody>;

/** A new contest: the organizer chooses blind or open review (changed later in the jury settings). */
export const ContestCreateBody = Type.Composite([
  ContestBody,
  Type.Object({
    juryBlind: Type.Boolean({
      title: 'Оценка жюри',
      description: 'true — слепая: жюри не видит ФИО заявителя и имена файлов; false — открытая',
    }),
  }),
]);
export type ContestCreateBody = Static<typeof ContestCreateBody>;

export const ContestDetail = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  rulesMarkdown: Type.String(),
  rulesFile: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer() }), Type.Null()]),
  phase: ContestPhase,
  applicationsOpenAt: Type.String({ format: 'date-time' }),
  applicationsCloseAt: Type.String({ format: 'date-time' }),
  reviewEndAt: Type.String({ format: 'date-time' }),
  resultsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resultsPublishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  archivedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Null while the contest is an unpublished draft, seen by organizers only. */
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  numberPrefix: Type.String(),
  multiplePerNomination: Type.Boolean(),
  juryBlind: Type.Boolean({ description: 'Слепая оценка жюри (true) или открытая (false)' }),
  nominations: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
});
export type ContestDetail = Static<typeof ContestDetail>;

export const ContestResponse = Type.Object({ contest: ContestDetail });
export type ContestResponse = Static<typeof ContestResponse>;

export const AdminContestList = Type.Object({
  contests: Type.Array(
    Type.Object({
      id: Type.String(),
      slug: Type.String(),
      title: Type.String(),
      phase: ContestPhase,
      applicationsOpenAt: Type.String({ format: 'date-time' }),
      applicationsCloseAt: Type.String({ format: 'date-time' }),
      archivedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      applications: Type.Integer({ description: 'Заявок, кроме черновиков' }),
      drafts: Type.Integer(),
    }),
  ),
});
export type AdminContestList = Static<typeof AdminContestList>;

export const CopyBody = Type.Object({
  /** Left out or the original's own title: the original's title with «(копия)». */
  title: Type.Optional(Type.String({ maxLength: 300, title: 'Название нового конкурса' })),
  slug: ContestBody.properties.slug,
  shiftYears: Type.Integer({ minimum: 0, maximum: 10, default: 1, title: 'Сдвиг дат, лет' }),
});
export type CopyBody = Static<typeof CopyBody>;
