/** Whom a letter greets: by first name and patronymic, as Russian letters do; null for an address without an account. */
export interface Addressee {
  firstName: string;
  middleName: string | null;
}

/** The one greeting of every letter: «Здравствуйте, Мария Сергеевна!», or «Здравствуйте!» when there is no name. */
export function greeting(person: Addressee | null): string {
  if (!person) return 'Здравствуйте!';
  return `Здравствуйте, ${[person.firstName, person.middleName].filter(Boolean).join(' ')}!`;
}

export const AUTOMATIC_FOOTER = 'Это письмо отправлено платформой Konkurs автоматически.';

/** The text of a letter: the greeting, its paragraphs (a paragraph may hold line breaks), the footer. */
export function letterText(person: Addressee | null, paragraphs: string[]): string {
  return [greeting(person), ...paragraphs, AUTOMATIC_FOOTER].join('\n\n');
}
