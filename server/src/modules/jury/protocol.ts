import PDFDocument from 'pdfkit';
import { FONTS } from '../certificates/fonts.ts';

/** What the jury's minutes («Протокол заседания жюри») state; all text already in its final Russian form. */
export interface ProtocolInput {
  contestTitle: string;
  /** ДД.ММ.ГГГГ */
  date: string;
  place: string;
  /** e.g. «среднее арифметическое оценок членов жюри» */
  methodLabel: string;
  jury: { name: string; role: string }[];
  nominations: {
    title: string;
    jurorNames: string[];
    rows: {
      place: number | null;
      rank: number | null;
      registrationNumber: string;
      participant: string;
      score: string;
      jurorTotals: string[];
    }[];
    /** The organizer's decisions to set a place other than the computed one, with the reasons. */
    overrides?: {
      registrationNumber: string;
      participant: string;
      computedPlace: number | null;
      place: number | null;
      reason: string;
    }[];
    /** What the overrides did to the order (duplicate places, places against ranks). */
    warnings?: string[];
    /** Sent sheets returned to their jurors, with who returned them and why. */
    reopened?: { registrationNumber: string; juror: string; by: string; at: string; reason: string }[];
  }[];
  chairName: string;
  secretaryName?: string;
}

type Doc = PDFKit.PDFDocument;
const MARGIN = 50;

/** The protocol as a PDF stream (A4 portrait, PT fonts); pipe it where it must go. */
export function renderProtocol(input: ProtocolInput): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: false,
    info: { Title: `Протокол заседания жюри — ${input.contestTitle}`, Producer: 'Konkurs' },
  });
  doc.registerFont('serif', FONTS.serif);
  doc.registerFont('serif-bold', FONTS.serifBold);
  doc.registerFont('sans', FONTS.sans);
  doc.registerFont('sans-bold', FONTS.sansBold);
  const width = doc.page.width - 2 * MARGIN;

  doc.font('serif-bold').fontSize(15).text('ПРОТОКОЛ', { align: 'center' });
  doc.fontSize(12).text('заседания жюри конкурса', { align: 'center' });
  doc.font('serif').fontSize(12).text(`«${input.contestTitle}»`, { align: 'center' });
  doc.moveDown(0.5);
  doc
    .font('sans')
    .fontSize(10)
    .text(`${input.place}`, MARGIN, doc.y, { continued: true, width })
    .text(input.date, { align: 'right' });
  doc.moveDown();

  doc.font('sans-bold').fontSize(11).text('Состав жюри:');
  doc.font('sans').fontSize(10);
  input.jury.forEach((j, i) => doc.text(`${i + 1}. ${j.name} — ${j.role}`));
  doc.moveDown(0.5);
  doc.text(`Итоговая оценка работы: ${input.methodLabel}. Места присуждены по убыванию итоговой оценки.`);
  doc.moveDown();

  for (const n of input.nominations) {
    ensureSpace(doc, 80);
    doc.font('sans-bold').fontSize(11).text(`Номинация «${n.title}»`, MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    table(doc, n, width);
    if (n.overrides?.length) {
      doc.moveDown(0.5);
      doc.font('sans-bold').fontSize(10).text('Изменения мест по решению жюри:', MARGIN, doc.y, { width });
      doc.font('sans').fontSize(9);
      const placeText = (p: number | null) => (p === null ? 'без места' : `${p} место`);
      for (const o of n.overrides) {
        doc.text(
          `${o.registrationNumber}, ${o.participant}: ${placeText(o.place)} (по расчёту — ${placeText(o.computedPlace)}). Основание: ${o.reason}`,
          MARGIN,
          doc.y,
          { width },
        );
      }
    }
    if (n.warnings?.length) {
      doc.moveDown(0.5);
      doc.font('sans-bold').fontSize(10).text('Внимание:', MARGIN, doc.y, { width });
      doc.font('sans').fontSize(9);
      for (const w of n.warnings) doc.text(w, MARGIN, doc.y, { width });
    }
    if (n.reopened?.length) {
      doc.moveDown(0.5);
      doc.font('sans-bold').fontSize(10).text('Оценки, возвращённые на доработку:', MARGIN, doc.y, { width });
      doc.font('sans').fontSize(9);
      for (const x of n.reopened)
        doc.text(
          `${x.registrationNumber}, оценка: ${x.juror}. Вернул ${x.by} ${x.at}. Причина: ${x.reason}`,
          MARGIN,
          doc.y,
          {
            width,
          },
        );
    }
    doc.moveDown();
  }

  ensureSpace(doc, 120);
  doc
    .font('sans')
    .fontSize(10)
    .text('Решение жюри принято на основании оценочных листов членов жюри.', MARGIN, doc.y, { width });
  doc.moveDown(1.5);
  const signature = (role: string, name: string) => {
    ensureSpace(doc, 30);
    const y = doc.y;
    doc.text(role, MARGIN, y, { width: 180, lineBreak: false });
    doc.text('_____________________', MARGIN + 190, y, { width: 140, lineBreak: false });
    doc.text(name, MARGIN + 340, y, { width: width - 340 });
    doc.moveDown(1.2);
  };
  signature('Председатель жюри', input.chairName);
  if (input.secretaryName) signature('Секретарь', input.secretaryName);
  for (const j of input.jury.filter((j) => j.name !== input.chairName && j.name !== input.secretaryName))
    signature('Член жюри', j.name);
  doc.end();
  return doc;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

/** Columns: place, number, participant, each juror's total, score. Narrow enough for up to 7 jurors. */
function table(doc: Doc, n: ProtocolInput['nominations'][number], width: number): void {
  const jurorCols = n.jurorNames.length;
  const fixed = { place: 42, number: 80, score: 48 };
  const jurorWidth = jurorCols ? Math.min(40, (width - fixed.place - fixed.number - fixed.score - 120) / jurorCols) : 0;
  const participantWidth = width - fixed.place - fixed.number - fixed.score - jurorWidth * jurorCols;
  const columns = [
    { title: 'Место', width: fixed.place },
    { title: '№ заявки', width: fixed.number },
    { title: 'Участник', width: participantWidth },
    ...n.jurorNames.map((_, i) => ({ title: `Ж${i + 1}`, width: jurorWidth })),
    { title: 'Итог', width: fixed.score },
  ];
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'sans-bold' : 'sans').fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i].width - 6 }))) + 6;
    ensureSpace(doc, height);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.rect(x, y, columns[i].width, height).lineWidth(0.5).strokeColor('#555555').stroke();
      doc.fillColor('#000000').text(c, x + 3, y + 3, { width: columns[i].width - 6 });
      x += columns[i].width;
    });
    doc.x = MARGIN;
    doc.y = y + height;
  };
  row(
    columns.map((c) => c.title),
    true,
  );
  for (const r of n.rows)
    row([r.place ? String(r.place) : '—', r.registrationNumber, r.participant, ...r.jurorTotals, r.score], false);
  if (jurorCols) {
    doc
      .font('sans')
      .fontSize(8)
      .text(n.jurorNames.map((name, i) => `Ж${i + 1} — ${name}`).join('; '), MARGIN, doc.y + 3, { width });
  }
}
