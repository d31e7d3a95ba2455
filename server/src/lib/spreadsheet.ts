import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { parse as parseCsv } from 'csv-parse';
import { PassThrough, Readable } from 'node:stream';
import { nextTurn } from './next-turn.ts';

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
      timeZone: 'Europe/Moscow',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
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

/** A table as an XLSX file in memory; xlsxStream writes it. */
export async function toXlsx<Row>(sheetName: string, columns: Column<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of xlsxStream(sheetName, columns, rows)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A table as an XLSX file, written as it goes by ExcelJS's streaming writer: a results table of 10,000 rows is never
 * held whole, and the writer steps aside for other requests every 200 rows. Header bold and frozen; dates in Moscow
 * time as date cells; links as hyperlinks; strings always as strings, never formulas.
 */
export function xlsxStream<Row>(sheetName: string, columns: Column<Row>[], rows: Iterable<Row>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Konkurs';
  // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Лист1', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  const write = async () => {
    let written = 0;
    for (const row of rows) {
      const added = sheet.addRow(
        columns.map((c) => {
          const v = c.value(row);
          if (v instanceof Date) return c.dates === 'date' ? v : moscowClock(v);
          // A string is always written as a string cell, never as a formula: «=HYPERLINK(…)» typed by an applicant stays text.
          return v ?? null;
        }),
      );
      columns.forEach((c, i) => {
        const cell = added.getCell(i + 1);
        if (cell.value instanceof Date) cell.numFmt = c.dates === 'date' ? 'dd.mm.yyyy' : 'dd.mm.yyyy hh:mm';
        const href = c.link?.(row);
        if (href && cell.value !== null && cell.value !== '') {
          cell.value = {
            text: String(cell.value instanceof Date ? dateText(cell.value, 'date') : cell.value),
            hyperlink: href,
          };
          cell.font = { color: { argb: 'FF0563C1' }, underline: true };
        }
      });
      added.commit();
      if (++written % 200 === 0) await nextTurn();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
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
    records.push(
      columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined) return '';
        if (v instanceof Date) return dateText(v, c.dates ?? 'datetime');
        // A number the platform wrote is left alone (−5 is a number, not a formula); text from people is neutralised.
        return typeof v === 'number' ? String(v) : neutraliseFormula(v);
      }),
    );
  }
  return '\uFEFF' + stringify(records, { delimiter: ';', record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

export class TableReadError extends Error {}

/** Rows are read in slices this long, with a turn of the event loop between them, so that other requests are served. */
const ROWS_PER_SLICE = 2000;

export interface ReadTableOptions {
  /** Most rows accepted below the header (the first row); a longer table is refused with a Russian message. */
  maxRows?: number;
}

const tooLong = (maxRows: number) =>
  new TableReadError(
    `В таблице больше ${maxRows.toLocaleString('ru-RU')} строк. Разделите её на несколько файлов и загрузите их по очереди.`,
  );

/**
 * Reads the first sheet of an uploaded XLSX, or a CSV (comma, semicolon or tab; UTF-8 with or without BOM),
 * into rows of trimmed strings. Empty rows are dropped. Linear in the size of the table.
 */
export async function readTable(data: Buffer, filename: string, options: ReadTableOptions = {}): Promise<string[][]> {
  const maxRows = options.maxRows ?? Infinity;
  const isXlsx = data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) || /\.xlsx$/i.test(filename);
  const rows: string[][] = [];
  const keep = (values: string[]) => {
    const trimmed = values.map((v) => v.trim());
    if (trimmed.some((v) => v !== '')) rows.push(trimmed);
  };
  if (isXlsx) {
    // The streaming reader parses the sheet in small pieces, with turns of the event loop between them (loading the
    // whole workbook held the server for hundreds of milliseconds), and stops as soon as the table is too long.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    });
    let sheets = 0;
    let count = 0;
    try {
      for await (const sheet of reader) {
        sheets++;
        for await (const row of sheet) {
          const values: string[] = [];
          // row.values is 1-based and sparse.
          const cells = row.values as ExcelJS.CellValue[];
          for (let i = 1; i < cells.length; i++) values.push(cellText(cells[i]));
          keep(values);
          if (++count % ROWS_PER_SLICE === 0) await nextTurn();
          if (rows.length - 1 > maxRows) throw tooLong(maxRows);
        }
        break; // the first sheet only
      }
    } catch (error) {
      if (error instanceof TableReadError) throw error;
      throw new TableReadError('Файл не удалось прочитать как таблицу Excel (.xlsx).');
    }
    if (sheets === 0) throw new TableReadError('В файле Excel нет ни одного листа.');
    // Rows are as long as their last cell; a table's rows are all as wide as its widest.
    const width = Math.max(0, ...rows.map((r) => r.length));
    for (const r of rows) while (r.length < width) r.push('');
  } else {
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    if (text.includes('\uFFFD')) throw new TableReadError('Файл CSV должен быть в кодировке UTF-8.');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = [';', '\t', ','].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
    // Parsed as a stream, a slice of the text at a time with turns of the event loop, and stopped once too long.
    // Byte slices: the parser joins a character split between two of them.
    const slices: Buffer[] = [];
    for (let i = 0; i < data.length; i += 64 * 1024) slices.push(data.subarray(i, i + 64 * 1024));
    const parser = Readable.from(slices).pipe(
      parseCsv({ delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }),
    );
    let count = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        keep(record);
        if (++count % ROWS_PER_SLICE === 0) await nextTurn();
        if (rows.length - 1 > maxRows) throw tooLong(maxRows);
      }
    } catch (error) {
      parser.destroy();
      if (error instanceof TableReadError) throw error;
      throw new TableReadError('Файл не удалось прочитать как таблицу CSV.');
    }
  }
  if (rows.length - 1 > maxRows) throw tooLong(maxRows);
  return rows;
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
