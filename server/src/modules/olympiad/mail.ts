/** How the olympiad's notices reach people: the outbox, and the address the links in a letter point to. */
export interface OlympiadMail {
  /** False when no mail server is configured: letters are kept in the outbox for organizers to read. */
  deliver: boolean;
  publicUrl: string;
}

export const NO_MAIL: OlympiadMail = { deliver: false, publicUrl: 'http://localhost:3000' };

/** Roster students get an address under .invalid (reserved: nobody can receive it); they are told on their page only. */
export const hasRealEmail = (email: string) => !email.toLowerCase().endsWith('.invalid');

export const MAIL_FOOTER = '\n\nЭто письмо отправлено платформой Konkurs автоматически.';
