import PDFDocument from 'pdfkit';
import { moscowDateTime } from '../../lib/moscow.ts';
import { FONTS } from '../certificates/fonts.ts';
import { answerText } from '../forms/definition.ts';
import { formatSize } from '../files/upload.ts';
import { STATUS_LABELS } from './lifecycle.ts';
import type { ApplicationView } from './schemas.ts';

const MARGIN = 56;

/**
 * A submitted application on A4 for a signed paper copy: the number, the dates in Moscow time, every answer (line
 * breaks kept), the list of attachments with their sizes, and lines for the signature. PT fonts, as the certificates.
 */
export function renderApplicationPdf(app: ApplicationView, now: Date): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `Заявка ${app.registrationNumber ?? ''} — ${app.contest.title}`, Producer: 'Konkurs' },
  });
  doc.registerFont('serif', FONTS.serif);
  doc.registerFont('serif-bold', FONTS.serifBold);
  doc.registerFont('sans', FONTS.sans);
  doc.registerFont('sans-bold', FONTS.sansBold);
  const width = doc.page.width - 2 * MARGIN;

  doc
    .font('serif-bold')
    .fontSize(15)
    .text(`Заявка ${app.registrationNumber ?? ''}`, { align: 'center' });
  doc.font('serif').fontSize(12).text(`на конкурс «${app.contest.title}»`, { align: 'center' });
  doc.moveDown();
  const line = (label: string, value: string) =>
    doc
      .font('sans-bold')
      .fontSize(10)
      .text(`${label}: `, MARGIN, doc.y, { continued: true, width })
      .font('sans')
      .text(value);
  line('Номинация', app.nomination.title);
  line('Заявитель', `${app.applicant.fullName}, ${app.applicant.email}`);
  line('Статус', STATUS_LABELS[app.status]);
  if (app.submittedAt) line('Подана', `${moscowDateTime(new Date(app.submittedAt))} (МСК)`);
  line('Версия формы', String(app.form.version));
  doc.moveDown();

  doc.font('sans-bold').fontSize(12).text('Ответы', MARGIN, doc.y, { width });
  doc.moveDown(0.3);
  const files = new Map<string, ApplicationView['files']>();
  for (const f of app.files) files.set(f.fieldKey, [...(files.get(f.fieldKey) ?? []), f]);
  for (const f of app.form.fields) {
    doc.font('sans-bold').fontSize(10).text(f.label, MARGIN, doc.y, { width });
    const text =
      f.kind === 'file'
        ? (files.get(f.key) ?? []).map((x) => `${x.name} (${formatSize(x.size)})`).join('\n') || '—'
        : answerText(f, app.answers[f.key]) || '—';
    doc.font('serif').fontSize(10.5).text(text, MARGIN, doc.y, { width });
    doc.moveDown(0.5);
  }

  doc.moveDown(0.5);
  doc.font('sans-bold').fontSize(12).text('Приложенные файлы', MARGIN, doc.y, { width });
  doc.font('sans').fontSize(10);
  if (!app.files.length) doc.text('Нет.', MARGIN, doc.y, { width });
  app.files.forEach((f, i) => {
    const field = app.form.fields.find((x) => x.key === f.fieldKey)?.label ?? f.fieldKey;
    doc.text(`${i + 1}. ${f.name} — ${formatSize(f.size)} (${field})`, MARGIN, doc.y, { width });
  });

  if (doc.y > doc.page.height - MARGIN - 110) doc.addPage();
  doc.moveDown(2);
  doc.font('sans').fontSize(10);
  doc.text('Сведения, указанные в заявке, подтверждаю.', MARGIN, doc.y, { width });
  doc.moveDown(2);
  const y = doc.y;
  doc.text('____________________ / ______________________________', MARGIN, y, { width });
  doc.text('«____» ______________ 20___ г.', MARGIN, y, { width, align: 'right' });
  doc.fontSize(8).text('подпись                          расшифровка подписи', MARGIN + 20, y + 14, { width });
  doc.moveDown(2);
  doc
    .fontSize(8)
    .fillColor('#555')
    .text(`Распечатано ${moscowDateTime(now)} (МСК) из Konkurs.`, MARGIN, doc.y, { width });
  doc.end();
  return doc;
}
