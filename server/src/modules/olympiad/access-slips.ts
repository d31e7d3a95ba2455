import PDFDocument from 'pdfkit';
import { FONTS } from '../certificates/fonts.ts';

/** One slip: what a student needs to sign in to the olympiad. */
export interface AccessSlip {
  fullName: string;
  school: string;
  className: string;
  accessCode: string;
}

type Doc = PDFKit.PDFDocument;

/** A4 portrait: 2 columns × 4 rows of slips with dashed cut lines; each school starts on a new page. */
const COLUMNS = 2;
const ROWS = 4;
export const SLIPS_PER_PAGE = COLUMNS * ROWS;
const MARGIN = 24;
const PAD = 12;

export function renderAccessSlips(input: { olympiadTitle: string; signInUrl: string; schools: { school: string; slips: AccessSlip[] }[] }): Doc {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: `Коды доступа — ${input.olympiadTitle}`, Producer: 'Konkurs' } });
  doc.registerFont('sans', FONTS.sans);
  doc.registerFont('sans-bold', FONTS.sansBold);
  for (const group of input.schools) {
    for (let start = 0; start < group.slips.length; start += SLIPS_PER_PAGE) {
      doc.addPage();
      const page = group.slips.slice(start, start + SLIPS_PER_PAGE);
      const w = (doc.page.width - 2 * MARGIN) / COLUMNS;
      const h = (doc.page.height - 2 * MARGIN) / ROWS;
      cutLines(doc, w, h);
      page.forEach((slip, i) => drawSlip(doc, MARGIN + (i % COLUMNS) * w, MARGIN + Math.floor(i / COLUMNS) * h, w, h, slip, input));
    }
  }
  doc.end();
  return doc;
}

function cutLines(doc: Doc, w: number, h: number): void {
  doc.save().lineWidth(0.6).dash(4, { space: 3 }).strokeColor('#777777');
  for (let c = 0; c <= COLUMNS; c++) doc.moveTo(MARGIN + c * w, MARGIN).lineTo(MARGIN + c * w, MARGIN + ROWS * h).stroke();
  for (let r = 0; r <= ROWS; r++) doc.moveTo(MARGIN, MARGIN + r * h).lineTo(MARGIN + COLUMNS * w, MARGIN + r * h).stroke();
  doc.undash().restore();
}

function drawSlip(doc: Doc, x: number, y: number, w: number, h: number, slip: AccessSlip, input: { olympiadTitle: string; signInUrl: string }): void {
  const left = x + PAD;
  const width = w - 2 * PAD;
  // Every text is boxed (height + ellipsis) so that a long school name never runs into the next slip.
  const line = (text: string, font: string, size: number, top: number, height: number, color = '#000000') =>
    doc.font(font).fontSize(size).fillColor(color).text(text, left, top, { width, height, ellipsis: true, lineGap: 0 });
  line(input.olympiadTitle, 'sans-bold', 9, y + PAD, 24, '#333333');
  line(slip.fullName, 'sans-bold', 12, y + PAD + 26, 34);
  line(slip.school, 'sans', 9, y + PAD + 62, 25);
  line(`Класс: ${slip.className}`, 'sans', 9, y + PAD + 89, 12);
  doc.font('sans').fontSize(8).fillColor('#333333').text('Код доступа', left, y + PAD + 103, { width, lineBreak: false });
  // The code uses only Latin capitals and digits: the standard Courier has them, monospace and easy to copy.
  doc.font('Courier-Bold').fontSize(22).fillColor('#000000').text(slip.accessCode, left, y + PAD + 113, { width, lineBreak: false });
  line(`Вход: ${input.signInUrl}`, 'sans-bold', 9, y + h - PAD - 33, 12);
  line('Откройте адрес, введите код доступа и нажмите «Войти». Код личный: не передавайте его другим.', 'sans', 8, y + h - PAD - 20, 21, '#333333');
  doc.fillColor('#000000');
}
