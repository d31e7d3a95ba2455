/**
 * Russian letters in Latin ones, for addresses and codes made from titles («Работа с жителями» → «rabota s zhitelyami»).
 * Pure, with no imports: the pages use it too (the rubric editor's criterion keys), through @konkurs/server/translit.
 */
const LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** The text in lower case with its Russian letters written in Latin ones; other characters stay. */
export function latinLowerCase(text: string): string {
  return [...text.toLowerCase()].map((c) => LATIN[c] ?? c).join('');
}
