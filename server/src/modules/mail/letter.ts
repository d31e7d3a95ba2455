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

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
// An address ends before a space, or before punctuation that closes the sentence around it.
const URL_IN_TEXT = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?»)]/g;

/**
 * The HTML part of a letter, made from its text so the two always say the same: a paragraph per blank-line block,
 * line breaks kept, addresses as links, the automatic footer in grey. Mail programs show this part; the text part
 * stays for those that do not.
 */
export function letterHtml(subject: string, text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((block) => {
      const html = escapeHtml(block)
        .replace(URL_IN_TEXT, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>\n');
      const footer = block.trim() === AUTOMATIC_FOOTER;
      return footer
        ? `<p style="margin:24px 0 0;color:#666666;font-size:13px">${html}</p>`
        : `<p style="margin:0 0 16px">${html}</p>`;
    });
  return [
    '<!doctype html>',
    '<html lang="ru">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">',
    '<div style="max-width:600px">',
    ...paragraphs,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}
