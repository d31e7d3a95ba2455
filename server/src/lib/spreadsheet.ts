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
