import type { AwardKind, Orientation, Signatory } from '@konkurs/db';

/** The wording of one award kind; text fields may hold placeholders like {ФИО}. */
export interface TemplateText {
  title: string;
  subtitle: string;
  lead: string;
  /** The recipient's line, printed large: {ФИО} or a declined form such as {ФИО_дат}. */
  recipient: string;
  body: string;
  orientation: Orientation;
  /** Empty: the organisation's signatories. */
  signatories: Signatory[];
  /** Empty: the organisation's city. */
  place: string;
}

export type EventKind = 'contest' | 'olympiad';

export const AWARD_LABELS: Record<AwardKind, string> = {
  place1: 'Диплом I степени',
  place2: 'Диплом II степени',
  place3: 'Диплом III степени',
  winner: 'Диплом победителя',
  prize: 'Диплом призёра',
  participant: 'Сертификат участника',
  juror_thanks: 'Благодарственное письмо члену жюри',
};
export const AWARD_KINDS = Object.keys(AWARD_LABELS) as AwardKind[];
/** The awards each kind of event gives: a contest has no winner's diploma of an olympiad, and back. */
export const AWARDS_OF: Record<EventKind, AwardKind[]> = {
  contest: ['place1', 'place2', 'place3', 'participant', 'juror_thanks'],
  olympiad: ['winner', 'prize', 'participant', 'juror_thanks'],
};

/** The placeholders a template may use, and what each stands for. */
export const PLACEHOLDERS = {
  ФИО: 'фамилия, имя и отчество получателя (именительный падеж: кто?)',
  ФИО_род: 'ФИО в родительном падеже (кого? чего?)',
  ФИО_дат: 'ФИО в дательном падеже (кому?)',
  ФИО_вин: 'ФИО в винительном падеже (кого? что?)',
  ФИО_твор: 'ФИО в творительном падеже (кем?)',
  ФИО_пред: 'ФИО в предложном падеже (о ком?)',
  'принял(а)': '«принял» или «приняла» по полу получателя',
  'ученик(ца)': '«ученик» или «ученица» по полу получателя',
  номинация: 'номинация (для конкурса)',
  место: 'место: 1, 2 или 3',
  школа: 'школа участника олимпиады',
  класс: 'класс участника олимпиады, например 10А',
  конкурс: 'название конкурса или олимпиады',
  организация: 'название организации (из реквизитов)',
  город: 'город (из реквизитов), например «г. Смоленск»',
  дата: 'дата выдачи, ДД.ММ.ГГГГ',
} as const;
export type PlaceholderValues = Partial<Record<keyof typeof PLACEHOLDERS, string>>;

const base = { signatories: [], place: '{город}', recipient: '{ФИО}', orientation: 'landscape' as const };

const contestDiploma = (degree: string): TemplateText => ({
  ...base,
  title: 'ДИПЛОМ',
  subtitle: degree,
  lead: 'награждается',
  body: 'за {место} место в конкурсе «{конкурс}» в номинации «{номинация}»',
});

const pupil = '{ученик(ца)} {класс} класса, {школа},';
const thanks: TemplateText = {
  ...base,
  title: 'БЛАГОДАРСТВЕННОЕ ПИСЬМО',
  subtitle: '',
  lead: 'выражается благодарность',
  recipient: '{ФИО_дат}',
  body: 'за добросовестную работу в составе жюри мероприятия «{конкурс}»',
  orientation: 'portrait',
};

/** Usable as they are: the organisation's name, city and signatories come from its details (certificate_organisation). */
export const DEFAULT_TEMPLATES: Record<EventKind, Partial<Record<AwardKind, TemplateText>>> = {
  contest: {
    place1: contestDiploma('I степени'),
    place2: contestDiploma('II степени'),
    place3: contestDiploma('III степени'),
    participant: {
      ...base,
      title: 'СЕРТИФИКАТ',
      subtitle: 'участника',
      lead: 'подтверждает, что',
      body: '{принял(а)} участие в конкурсе «{конкурс}» в номинации «{номинация}»',
    },
    juror_thanks: thanks,
  },
  olympiad: {
    winner: {
      ...base,
      title: 'ДИПЛОМ',
      subtitle: 'победителя',
      lead: 'награждается',
      body: `${pupil}\nпобедитель олимпиады «{конкурс}»`,
    },
    prize: {
      ...base,
      title: 'ДИПЛОМ',
      subtitle: 'призёра',
      lead: 'награждается',
      body: `${pupil}\nпризёр олимпиады «{конкурс}»`,
    },
    participant: {
      ...base,
      title: 'СЕРТИФИКАТ',
      subtitle: 'участника',
      lead: 'подтверждает, что',
      body: `${pupil}\n{принял(а)} участие в олимпиаде «{конкурс}»`,
    },
    juror_thanks: { ...thanks, body: 'за добросовестную работу по проверке олимпиадных работ олимпиады «{конкурс}»' },
  },
};

/** The built-in wording of an award for a kind of event (an olympiad award asked of a contest gets the olympiad's). */
export function defaultTemplate(award: AwardKind, kind: EventKind): TemplateText {
  return DEFAULT_TEMPLATES[kind][award] ?? DEFAULT_TEMPLATES[kind === 'contest' ? 'olympiad' : 'contest'][award]!;
}

const PLACEHOLDER_RE = /\{([^{}]{1,30})\}/g;

/** Placeholders in text that the platform does not know (a typo such as {ФИ0}). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]).filter((name) => !(name in PLACEHOLDERS));
}

/**
 * Fills the placeholders; one without a value (e.g. {номинация} for an olympiad) becomes empty, and so do the
 * quotes around it. Line breaks the organizer typed stay; a line left empty goes.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text
    .replace(PLACEHOLDER_RE, (whole, name: string) =>
      name in PLACEHOLDERS ? (values[name as keyof PlaceholderValues] ?? '') : whole,
    )
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/\s+/g, ' ')
        .replace(/«\s*»/g, '')
        .replace(/\s+([,.;:])/g, '$1')
        .replace(/,(\s*,)+/g, ',')
        .replace(/^[\s,]+/, '')
        .trim(),
    )
    .filter(Boolean)
    .join('\n');
}
