// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- so that every package compiling this file (tests, bench) sees the types
/// <reference path="./petrovich.d.ts" />
import petrovich from 'petrovich';
import type { NameForms } from '@konkurs/db';

/**
 * The cases of a person's ФИО as Russian texts need them: «выражает благодарность Беловой Елене Николаевне» (dative),
 * «вручается … Белову Елену Николаевну» (accusative). The rules are petrovich's (the reference library for Russian
 * anthroponyms); what they get wrong for one person the organizer corrects before issuing (certificate_name_forms).
 */
export type Gender = 'male' | 'female' | 'unknown';
export const CASES = ['genitive', 'dative', 'accusative', 'instrumental', 'prepositional'] as const;
export type NameCase = (typeof CASES)[number];
export const CASE_LABELS: Record<NameCase, string> = {
  genitive: 'родительный (кого?)',
  dative: 'дательный (кому?)',
  accusative: 'винительный (кого?)',
  instrumental: 'творительный (кем?)',
  prepositional: 'предложный (о ком?)',
};

export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

/** Male names that end like female ones, so the ending alone would mislead when there is no patronymic. */
const MALE_IN_A = new Set([
  'никита',
  'илья',
  'фома',
  'лука',
  'кузьма',
  'савва',
  'данила',
  'гаврила',
  'фока',
  'муса',
  'иса',
  'лёва',
  'миша',
  'саша',
  'женя',
  'ваня',
]);

/** The patronymic decides (-ич / -на); without one, the first and last names' endings are the best guess. */
export function genderOf(name: PersonName): Gender {
  if (name.middleName) {
    const g = petrovich.detect_gender(name.middleName);
    if (g !== 'androgynous') return g;
  }
  const last = name.lastName.toLowerCase();
  if (/(ова|ева|ёва|ина|ына|ская|цкая|ая)$/.test(last)) return 'female';
  if (/(ов|ев|ёв|ин|ын|ский|цкий|ой|ый)$/.test(last)) return 'male';
  const first = name.firstName.toLowerCase();
  if (MALE_IN_A.has(first)) return 'male';
  if (/[ая]$/.test(first)) return 'female';
  if (/[бвгджзклмнпрстфхцчшщй]$/.test(first)) return 'male';
  return 'unknown';
}

/** «Фамилия Имя Отчество» in every case but the nominative. */
export function declineName(name: PersonName): NameForms {
  const gender = genderOf(name);
  const person = {
    gender: gender === 'unknown' ? ('androgynous' as const) : gender,
    first: name.firstName,
    middle: name.middleName ?? undefined,
    last: name.lastName,
  };
  const forms = {} as NameForms;
  for (const c of CASES) {
    let d: typeof person;
    try {
      d = petrovich(person, c) as typeof person;
    } catch {
      d = person;
    }
    forms[c] = [d.last, d.first, d.middle].filter(Boolean).join(' ');
  }
  return forms;
}

/** Splits a stored «Фамилия Имя Отчество» (as fullName() joins it) back into its parts. */
export function splitFullName(full: string): PersonName {
  const [lastName = '', firstName = '', ...rest] = full.trim().split(/\s+/);
  return { lastName, firstName, middleName: rest.length ? rest.join(' ') : null };
}
