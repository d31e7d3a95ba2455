import { isStorableText, storableText } from '../../../lib/storable-text.ts';
import { nextTurn } from '../../../lib/next-turn.ts';

/**
 * Reading a roster table (ФИО, школа, класс) into participants, with the reason for every row refused. Pure (it only
 * gives the event loop a turn now and then).
 */
/** What the roster (or the student signing up) says of a participant. */
export interface NewParticipant {
  lastName: string;
  firstName: string;
  middleName: string | null;
  school: string;
  grade: number;
  className: string;
}

/** A participant read from a row of the roster. */
export interface RosterEntry extends NewParticipant {
  row: number;
}

export interface RefusedRow {
  row: number;
  reason: string;
  /** The row as it was, to find it in the file. */
  text: string;
}

export class RosterFormatError extends Error {}

const HEADERS = {
  name: /^(фио|ф\.и\.о\.?|фамилия,? имя,? отчество|участник)$/,
  school: /(школа|образовательн|^оу$|^оо$|учреждение)/,
  grade: /^(класс|параллель)$/,
  letter: /^(буква|литера|буква класса|литера класса)$/,
};

const normalizeHeader = (h: string) => h.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

/** "10", "10А", "10 а", "10-Б" → grade 10 and class "10А". */
export function parseClass(grade: string, letter = ''): { grade: number; className: string } | null {
  const m = /^(\d{1,2})\s*[-–]?\s*([А-ЯЁа-яёA-Za-z]?)\s*$/.exec(grade.trim());
  if (!m) return null;
  const number = Number(m[1]);
  if (number < 1 || number > 11) return null;
  const l = (m[2] || letter.trim()).toUpperCase();
  if (l.length > 1) return null;
  return { grade: number, className: `${number}${l}` };
}

const personKey = (e: { lastName: string; firstName: string; middleName: string | null; school: string }) =>
  [e.lastName, e.firstName, e.middleName ?? '', e.school]
    .map((s) => s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' '))
    .join('|');

export { personKey };

/**
 * rows[0] must be the header. `grades` are the olympiad's grades (empty: any); `existing` holds personKey()s of
 * participants already on the roster, so that loading the same file twice adds nobody twice.
 */
export const ALREADY_ON_ROSTER = 'Этот участник уже есть в списке (то же ФИО и та же школа).';

/** Rows read between two turns of the event loop, so that a long roster does not hold up other requests. */
const ROWS_PER_TURN = 1000;

export async function parseRoster(
  rows: string[][],
  grades: number[],
  existing: Set<string>,
): Promise<{ entries: RosterEntry[]; refused: RefusedRow[] }> {
  const header = (rows[0] ?? []).map(normalizeHeader);
  const col = (re: RegExp) => header.findIndex((h) => re.test(h));
  const name = col(HEADERS.name);
  const school = col(HEADERS.school);
  const grade = col(HEADERS.grade);
  const letter = col(HEADERS.letter);
  const missing = [name < 0 && '«ФИО»', school < 0 && '«Школа»', grade < 0 && '«Класс»'].filter(Boolean);
  if (missing.length) {
    throw new RosterFormatError(
      `В первой строке таблицы нет столбцов ${missing.join(', ')}. Нужны столбцы «ФИО», «Школа», «Класс» (например, 10 или 10А) и, по желанию, «Буква».`,
    );
  }
  const entries: RosterEntry[] = [];
  const refused: RefusedRow[] = [];
  const seen = new Set(existing);
  const readRow = (cells: string[], i: number) => {
    const row = i + 2;
    const text = storableText(cells.filter(Boolean).join('; '));
    const refuse = (reason: string) => refused.push({ row, reason, text });
    // A NUL or a broken character (a damaged file) cannot be stored; the row is refused, the rest of the file is read.
    if (!cells.every(isStorableText))
      return refuse(
        'В строке есть недопустимый символ (нулевой символ или повреждённый символ Юникода): исправьте её в файле.',
      );
    const words = (cells[name] ?? '').split(/\s+/).filter(Boolean);
    if (words.length < 2) return refuse('Укажите в столбце «ФИО» фамилию и имя (и отчество, если есть).');
    if (words.some((w) => w.length > 100)) return refuse('Слишком длинное ФИО.');
    const schoolName = (cells[school] ?? '').replace(/\s+/g, ' ').trim();
    if (!schoolName) return refuse('Не указана школа.');
    if (schoolName.length > 300) return refuse('Слишком длинное название школы.');
    const parsed = parseClass(cells[grade] ?? '', letter >= 0 ? (cells[letter] ?? '') : '');
    if (!parsed)
      return refuse(
        `Класс «${cells[grade] ?? ''}» не распознан: укажите номер класса от 1 до 11, например 10 или 10А.`,
      );
    if (grades.length && !grades.includes(parsed.grade))
      return refuse(`Олимпиада проводится для ${grades.join(', ')} классов, а указан ${parsed.grade} класс.`);
    const entry: RosterEntry = {
      row,
      lastName: words[0],
      firstName: words[1],
      middleName: words.slice(2).join(' ') || null,
      school: schoolName,
      grade: parsed.grade,
      className: parsed.className,
    };
    const key = personKey(entry);
    if (seen.has(key)) return refuse(ALREADY_ON_ROSTER);
    seen.add(key);
    entries.push(entry);
  };
  for (let i = 1; i < rows.length; i++) {
    readRow(rows[i], i - 1);
    if (i % ROWS_PER_TURN === 0) await nextTurn();
  }
  return { entries, refused };
}
