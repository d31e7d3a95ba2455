import type { AwardKind, Orientation, Signatory } from '@konkurs/db';

/** The wording of one award kind; text fields may hold placeholders like {ФИО}. */
export interface TemplateText {
  title: string;
  subtitle: string;
  lead: string;
  body: string;
  orientation: Orientation;
  signatories: Signatory[];
  place: string;
}

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

/** The placeholders a template may use, and what each stands for. */
export const PLACEHOLDERS = {
  'ФИО': 'фамилия, имя и отчество получателя',
  'номинация': 'номинация (для конкурса)',
  'место': 'место: 1, 2 или 3',
  'конкурс': 'название конкурса или олимпиады',
  'дата': 'дата выдачи, ДД.ММ.ГГГГ',
} as const;
export type PlaceholderValues = Partial<Record<keyof typeof PLACEHOLDERS, string>>;

const contestDiploma = (degree: string): TemplateText => ({
  title: 'ДИПЛОМ',
  subtitle: degree,
  lead: 'награждается',
  body: 'за {место} место в конкурсе «{конкурс}» в номинации «{номинация}»',
  orientation: 'landscape',
  signatories: [],
  place: '',
});

export const DEFAULT_TEMPLATES: Record<AwardKind, TemplateText> = {
  place1: contestDiploma('I степени'),
  place2: contestDiploma('II степени'),
  place3: contestDiploma('III степени'),
  winner: { title: 'ДИПЛОМ', subtitle: 'победителя', lead: 'награждается', body: 'победитель олимпиады «{конкурс}»', orientation: 'landscape', signatories: [], place: '' },
  prize: { title: 'ДИПЛОМ', subtitle: 'призёра', lead: 'награждается', body: 'призёр олимпиады «{конкурс}»', orientation: 'landscape', signatories: [], place: '' },
  participant: { title: 'СЕРТИФИКАТ', subtitle: 'участника', lead: 'подтверждает, что', body: 'принял(а) участие в мероприятии «{конкурс}»', orientation: 'landscape', signatories: [], place: '' },
  juror_thanks: {
    title: 'БЛАГОДАРСТВЕННОЕ ПИСЬМО',
    subtitle: '',
    lead: 'выражается благодарность',
    body: 'за работу в составе жюри мероприятия «{конкурс}»',
    orientation: 'portrait',
    signatories: [],
    place: '',
  },
};

const PLACEHOLDER_RE = /\{([^{}]{1,30})\}/g;

/** Placeholders in text that the platform does not know (a typo such as {ФИ0}). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]).filter((name) => !(name in PLACEHOLDERS));
}

/** Fills the placeholders; one without a value (e.g. {номинация} for an olympiad) becomes empty. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text
    .replace(PLACEHOLDER_RE, (whole, name: string) => (name in PLACEHOLDERS ? values[name as keyof PlaceholderValues] ?? '' : whole))
    .replace(/\s+/g, ' ')
    .replace(/«\s*»/g, '')
    .trim();
}
