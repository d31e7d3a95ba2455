import PDFDocument from 'pdfkit';
import { moscowDate, moscowDateTime } from '../../../lib/moscow.ts';
import { FONTS } from '../../certificates/fonts.ts';

/** One slip: what a student needs to sign in to the olympiad. */
export interface AccessSlip {
  fullName: string;
  school: string;
  className: string;
  accessCode: string;
}

/** The olympiad as the slips announce it: when it can be taken and where. */
export interface SlipOlympiad {
  title: string;
  windowStartAt: Date;
  windowEndAt: Date;
  timeLimitMinutes: number;
  /** Where students sign in with their code, e.g. https://konkurs.example.ru/code. */
  signInUrl: string;
}

type Doc = PDFKit.PDFDocument;

/** A4 portrait: 2 columns × 4 rows of slips with dashed cut lines; each school starts on a new page. */
const COLUMNS = 2;
const ROWS = 4;
export const SLIPS_PER_PAGE = COLUMNS * ROWS;
const MARGIN = 24;
const PAD = 12;

/** «12.02.2027, 10:00–14:00 (МСК)», or with both dates when the window spans days. */
export function windowText(start: Date, end: Date): string {
  const [d1, t1] = moscowDateTime(start).split(' ');
  const [d2, t2] = moscowDateTime(end).split(' ');
  return d1 === d2 ? `${d1}, ${t1}–${t2} (МСК)` : `с ${d1} ${t1} до ${moscowDate(end)} ${t2} (МСК)`;
}

export function renderAccessSlips(input: {
  olympiad: SlipOlympiad;
  schools: { school: string; slips: AccessSlip[] }[];
}): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: `Коды доступа — ${input.olympiad.title}`, Producer: 'Konkurs' },
  });
  doc.registerFont('sans', FONTS.sans);
  doc.registerFont('sans-bold', FONTS.sansBold);
  doc.registerFont('mono', FONTS.mono);
  for (const group of input.schools) {
    for (let start = 0; start < group.slips.length; start += SLIPS_PER_PAGE) {
      doc.addPage();
      const page = group.slips.slice(start, start + SLIPS_PER_PAGE);
      const w = (doc.page.width - 2 * MARGIN) / COLUMNS;
      const h = (doc.page.height - 2 * MARGIN) / ROWS;
      cutLines(doc, w, h);
      page.forEach((slip, i) =>
        drawSlip(doc, MARGIN + (i % COLUMNS) * w, MARGIN + Math.floor(i / COLUMNS) * h, w, h, slip, input.olympiad),
      );
    }
  }
  doc.end();
  return doc;
}

function cutLines(doc: Doc, w: number, h: number): void {
  doc.save().lineWidth(0.6).dash(4, { space: 3 }).strokeColor('#777777');
  for (let c = 0; c <= COLUMNS; c++)
    doc
      .moveTo(MARGIN + c * w, MARGIN)
      .lineTo(MARGIN + c * w, MARGIN + ROWS * h)
      .stroke();
  for (let r = 0; r <= ROWS; r++)
    doc
      .moveTo(MARGIN, MARGIN + r * h)
      .lineTo(MARGIN + COLUMNS * w, MARGIN + r * h)
      .stroke();
  doc.undash().restore();
}

function drawSlip(doc: Doc, x: number, y: number, w: number, h: number, slip: AccessSlip, o: SlipOlympiad): void {
  const left = x + PAD;
  const width = w - 2 * PAD;
  const top = y + PAD;
  const bottom = y + h - PAD;
  // Every text is boxed (height + ellipsis) so that a long school name never runs into the next slip.
  const line = (text: string, font: string, size: number, at: number, height: number, color = '#000000') =>
    doc.font(font).fontSize(size).fillColor(color).text(text, left, at, { width, height, ellipsis: true, lineGap: 0 });
  // Line heights of PT Sans are about 1.3 of the size: each box below holds what its text may take (two lines for the
  // name and the school), and the boxes add up to the slip's height.
  line(o.title, 'sans-bold', 9, top, 12, '#333333');
  line(slip.fullName, 'sans-bold', 12, top + 13, 32);
  line(slip.school, 'sans', 8.5, top + 45, 22);
  line(`Класс: ${slip.className}`, 'sans', 8.5, top + 68, 11);
  doc
    .font('sans')
    .fontSize(7.5)
    .fillColor('#333333')
    .text('Код доступа', left, top + 81, { width, lineBreak: false });
  // PT Mono, embedded: the code's letters and digits look the same on every printer and cannot be misread.
  doc
    .font('mono')
    .fontSize(18)
    .fillColor('#000000')
    .text(slip.accessCode, left, top + 90, { width, lineBreak: false });
  line(`Когда: ${windowText(o.windowStartAt, o.windowEndAt)}`, 'sans', 8.5, top + 112, 11);
  line(`На работу: ${o.timeLimitMinutes} мин с начала`, 'sans', 8.5, top + 123, 11);
  line(`Где: ${o.signInUrl}`, 'sans-bold', 9, top + 135, 12);
  line(
    'Откройте адрес в эти часы, введите код доступа и нажмите «Войти». Код личный: не передавайте его другим.',
    'sans',
    8,
    Math.min(top + 148, bottom - 21),
    21,
    '#333333',
  );
  doc.fillColor('#000000');
}
