import { describe, expect, test } from 'vitest';
import { readTable, TableReadError, toCsv, toXlsx, type Column } from '../../server/src/lib/spreadsheet.ts';

type Person = { name: string; grade: number };
const columns: Column<Person>[] = [
  { header: 'ФИО', value: (p) => p.name },
  { header: 'Класс', value: (p) => p.grade },
];
const people = [
  { name: 'Петров Никита Алексеевич', grade: 10 },
  { name: 'Ёлкина Анна', grade: 11 },
];

describe('spreadsheets', () => {
  test('an exported XLSX reads back with the same Cyrillic cells', async () => {
    const xlsx = await toXlsx('Участники', columns, people);
    expect(await readTable(xlsx, 'list.xlsx')).toEqual([
      ['ФИО', 'Класс'],
      ['Петров Никита Алексеевич', '10'],
      ['Ёлкина Анна', '11'],
    ]);
  });

  test('CSV is UTF-8 with BOM and semicolons, quotes what needs quoting, and reads back', async () => {
    const csv = toCsv(columns, [...people, { name: 'Иванов; "Ваня"', grade: 10 }]);
    expect(csv.startsWith('\uFEFFФИО;Класс\r\n')).toBe(true);
    expect(await readTable(Buffer.from(csv), 'list.csv')).toEqual([
      ['ФИО', 'Класс'],
      ['Петров Никита Алексеевич', '10'],
      ['Ёлкина Анна', '11'],
      ['Иванов; "Ваня"', '10'],
    ]);
  });

  test('CSV neutralises text that starts with = + - @ or a tab (OWASP), and leaves the platform’s numbers alone', async () => {
    type Cell = { text: string | number };
    const cols: Column<Cell>[] = [{ header: 'Значение', value: (c) => c.text }];
    const texts = ['=1+2', '+79001234567', '-5', '@SUM(A1)', '\tвкладка', 'обычный текст', 'a=b'];
    const csv = toCsv(cols, [...texts.map((text) => ({ text })), { text: -5 }]);
    const cells = (await readTable(Buffer.from(csv), 'x.csv')).slice(1).map((r) => r[0]);
    expect(cells).toEqual(["'=1+2", "'+79001234567", "'-5", "'@SUM(A1)", "'\tвкладка", 'обычный текст', 'a=b', '-5']);
  });

  test('comma-separated CSV without BOM is read too, empty lines dropped', async () => {
    expect(await readTable(Buffer.from('ФИО,Класс\n\nСидоров,11\n'), 'x.csv')).toEqual([
      ['ФИО', 'Класс'],
      ['Сидоров', '11'],
    ]);
  });

  test('a file in another encoding or a broken XLSX is refused with a Russian message', async () => {
    await expect(readTable(Buffer.from([0xd4, 0xc8, 0xce, 0x3b]), 'cp1251.csv')).rejects.toThrow(TableReadError);
    await expect(readTable(Buffer.from('PK\u0003\u0004broken'), 'x.xlsx')).rejects.toThrow(/Excel/);
  });

  test('a table longer than maxRows (below its header) is refused in Russian; one of exactly maxRows is read', async () => {
    const csv = (n: number) =>
      Buffer.from(['ФИО;Класс', ...Array.from({ length: n }, (_, i) => `Иванов${i};10`)].join('\n'));
    expect(await readTable(csv(3), 'x.csv', { maxRows: 3 })).toHaveLength(4);
    await expect(readTable(csv(4), 'x.csv', { maxRows: 3 })).rejects.toThrow(
      'В таблице больше 3 строк. Разделите её на несколько файлов и загрузите их по очереди.',
    );
    const xlsx = await toXlsx(
      'Лист',
      columns,
      Array.from({ length: 4 }, (_, i) => ({ name: `Петров${i}`, grade: 10 })),
    );
    await expect(readTable(xlsx, 'x.xlsx', { maxRows: 3 })).rejects.toThrow(TableReadError);
  });

  test('a CSV read in slices keeps every Cyrillic letter, wherever a slice ends', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `Ёлкина-Щукина${i} Юлия`);
    const rows = await readTable(Buffer.from(['ФИО;Класс', ...names.map((n) => `${n};10`)].join('\n')), 'x.csv');
    expect(rows.slice(1).map((r) => r[0])).toEqual(names);
  });
});
