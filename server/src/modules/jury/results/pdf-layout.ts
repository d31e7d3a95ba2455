import PDFDocument from 'pdfkit';
import { FONTS } from '../../certificates/fonts.ts';

/** What the jury's documents (the protocol, the report of an entry) share: A4 portrait, PT fonts, ruled tables. */

export type Doc = PDFKit.PDFDocument;
export const MARGIN = 50;

/** An A4 document with the PT fonts registered as serif, serif-bold, sans and sans-bold. */
export function juryDocument(title: string): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: false,
    info: { Title: title, Producer: 'Konkurs' },
  });
  doc.registerFont('serif', FONTS.serif);
  doc.registerFont('serif-bold', FONTS.serifBold);
  doc.registerFont('sans', FONTS.sans);
  doc.registerFont('sans-bold', FONTS.sansBold);
  return doc;
}

export const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;

export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

export interface TableColumn {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/**
 * A ruled table at the left margin, 9 pt: a bold header row, then the rows; a row never splits across pages, and the
 * header is repeated at the top of a new page so a reader of page 2 knows the columns.
 */
export function drawTable(
  doc: Doc,
  columns: TableColumn[],
  rows: string[][],
  options: { repeatHeader?: boolean } = {},
): void {
  const header = columns.map((c) => c.title);
  const row = (cells: string[], bold: boolean): void => {
    doc.font(bold ? 'sans-bold' : 'sans').fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i].width - 6 }))) + 6;
    if (doc.y + height > doc.page.height - MARGIN) {
      doc.addPage();
      if (!bold && options.repeatHeader) row(header, true);
      doc.font(bold ? 'sans-bold' : 'sans').fontSize(9);
    }
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.rect(x, y, columns[i].width, height).lineWidth(0.5).strokeColor('#555555').stroke();
      doc
        .fillColor('#000000')
        .text(c, x + 3, y + 3, { width: columns[i].width - 6, align: columns[i].align ?? 'left' });
      x += columns[i].width;
    });
    doc.x = MARGIN;
    doc.y = y + height;
  };
  row(header, true);
  for (const r of rows) row(r, false);
}
