import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

/** The one way to export tables (XLSX and CSV) and to read uploaded ones (rosters, lists). */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | Date | null | undefined;
  /** Width in characters (XLSX only). */
  width?: number;
}

export async function toXlsx<Row>(sheetName: string, columns: Column<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Konkurs';
  // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Лист1');
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** CSV as Russian Excel opens it by double-click: UTF-8 with BOM, semicolons. */
export function toCsv<Row>(columns: Column<Row>[], rows: Iterable<Row>): string {
  const records = [columns.map((c) => c.header)];
  for (const row of rows) {
    records.push(columns.map((c) => {
      const v = c.value(row);
      return v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
    }));
  }
  return '\uFEFF' + stringify(records, { delimiter: ';', record_delimiter: '\r\n' });
}

export class TableReadError extends Error {}

/** Rows are read in slices this long, with a turn of the event loop between them, so that other requests are served. */
const ROWS_PER_SLICE = 2000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ReadTableOptions {
  /** Most rows accepted below the header (the first row); a longer table is refused with a Russian message. */
  maxRows?: number;
}

const tooLong = (maxRows: number) =>
  new TableReadError(`В таблице больше ${maxRows.toLocaleString('ru-RU')} строк. Разделите её на несколько файлов и загрузите их по очереди.`);

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
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new TableReadError('Файл не удалось прочитать как таблицу Excel (.xlsx).');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new TableReadError('В файле Excel нет ни одного листа.');
    // Refused before the rows are read (actualRowCount is one walk of the sheet).
    if (sheet.actualRowCount - 1 > maxRows) throw tooLong(maxRows);
    // ExcelJS recomputes columnCount by walking the whole sheet: read it once, not per cell (that was quadratic).
    const width = sheet.columnCount;
    const last = sheet.rowCount;
    for (let start = 1; start <= last; start += ROWS_PER_SLICE) {
      for (let r = start; r < Math.min(start + ROWS_PER_SLICE, last + 1); r++) {
        const row = sheet.findRow(r);
        if (!row || !row.hasValues) continue;
        const values: string[] = [];
        for (let i = 1; i <= width; i++) values.push(cellText(row.getCell(i).value));
        keep(values);
      }
      await nextTurn();
    }
  } else {
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    if (text.includes('\uFFFD')) throw new TableReadError('Файл CSV должен быть в кодировке UTF-8.');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = [';', '\t', ','].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
    let parsed: string[][];
    try {
      parsed = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch {
      throw new TableReadError('Файл не удалось прочитать как таблицу CSV.');
    }
    for (let i = 0; i < parsed.length; i++) {
      keep(parsed[i]);
      if (i % ROWS_PER_SLICE === ROWS_PER_SLICE - 1) await nextTurn();
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
