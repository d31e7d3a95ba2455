import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

/** The one way to export tables (XLSX and CSV) and to read uploaded ones (rosters, lists). */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | Date | null | undefined;
  /** Width in characters (XLSX only). */
  width?: number;
  /**
   * How a Date is meant: an instant shown in Moscow time ('datetime', the default), or a calendar day ('date', a Date
   * at UTC midnight, as a form's date answer is read).
   */
  dates?: 'datetime' | 'date';
  /** XLSX: the cell links to this address (an attachment, the application's page); CSV keeps the value. */
  link?: (row: Row) => string | null | undefined;
}

/**
 * Excel knows no time zones: a date cell shows the clock time it holds. So an instant is written as the Moscow clock
 * time it was (product rule: times in Moscow time), whatever the server's zone.
 */
function moscowClock(at: Date): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).map((p) => [p.type, Number(p.value)]),
  );
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second));
}

const pad = (n: number) => String(n).padStart(2, '0');
/** ДД.ММ.ГГГГ of a calendar day, or ДД.ММ.ГГГГ ЧЧ:ММ in Moscow of an instant (CSV writes dates as Russians read them). */
function dateText(value: Date, kind: 'datetime' | 'date'): string {
  const d = kind === 'date' ? value : moscowClock(value);
  const day = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  return kind === 'date' ? day : `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export async function toXlsx<Row>(sheetName: string, columns: Column<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Konkurs';
  // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Лист1');
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of rows) {
    const added = sheet.addRow(columns.map((c) => {
      const v = c.value(row);
      if (v instanceof Date) return c.dates === 'date' ? v : moscowClock(v);
      // A string is always written as a string cell, never as a formula: «=HYPERLINK(…)» typed by an applicant stays text.
      return v ?? null;
    }));
    columns.forEach((c, i) => {
      const cell = added.getCell(i + 1);
      if (cell.value instanceof Date) cell.numFmt = c.dates === 'date' ? 'dd.mm.yyyy' : 'dd.mm.yyyy hh:mm';
      const href = c.link?.(row);
      if (href && cell.value !== null && cell.value !== '') {
        cell.value = { text: String(cell.value instanceof Date ? dateText(cell.value, 'date') : cell.value), hyperlink: href };
        cell.font = { color: { argb: 'FF0563C1' }, underline: true };
      }
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * OWASP's rule against CSV injection: a cell that starts with = + - @ (or a tab or carriage return) would be read by
 * a spreadsheet as a formula, so it gets a leading apostrophe. This also keeps «+79001234567» a text, not a number.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * CSV as Russian Excel opens it by double-click: UTF-8 with BOM, semicolons, a field in quotes when it holds a
 * semicolon, a quote or a line break (csv-stringify quotes a lone \n only when told: an answer in several lines split
 * one application into several rows), formulas neutralised, dates as ДД.ММ.ГГГГ (ЧЧ:ММ in Moscow time).
 */
export function toCsv<Row>(columns: Column<Row>[], rows: Iterable<Row>): string {
  const records = [columns.map((c) => c.header)];
  for (const row of rows) {
    records.push(columns.map((c) => {
      const v = c.value(row);
      if (v === null || v === undefined) return '';
      if (v instanceof Date) return dateText(v, c.dates ?? 'datetime');
      // A number the platform wrote is left alone (−5 is a number, not a formula); text from people is neutralised.
      return typeof v === 'number' ? String(v) : neutraliseFormula(v);
    }));
  }
  return '\uFEFF' + stringify(records, { delimiter: ';', record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

export class TableReadError extends Error {}

/**
 * Reads the first sheet of an uploaded XLSX, or a CSV (comma, semicolon or tab; UTF-8 with or without BOM),
 * into rows of trimmed strings. Empty rows are dropped.
 */
export async function readTable(data: Buffer, filename: string): Promise<string[][]> {
  const isXlsx = data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) || /\.xlsx$/i.test(filename);
  let rows: string[][];
  if (isXlsx) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new TableReadError('Файл не удалось прочитать как таблицу Excel (.xlsx).');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new TableReadError('В файле Excel нет ни одного листа.');
    rows = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values: string[] = [];
      for (let i = 1; i <= sheet.columnCount; i++) values.push(cellText(row.getCell(i).value));
      rows.push(values);
    });
  } else {
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    if (text.includes('\uFFFD')) throw new TableReadError('Файл CSV должен быть в кодировке UTF-8.');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = [';', '\t', ','].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
    try {
      rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch {
      throw new TableReadError('Файл не удалось прочитать как таблицу CSV.');
    }
  }
  return rows.map((r) => r.map((v) => v.trim())).filter((r) => r.some((v) => v !== ''));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : String(value.result);
  }
  return String(value);
}
