import { moscowDateTime, moscowLongDate } from '../../../lib/moscow.ts';
import { ruNumber } from '../../../lib/ru-number.ts';
import { MARGIN, contentWidth, drawTable, ensureSpace, juryDocument, type Doc } from './pdf-layout.ts';
import type { EntryReport } from './results-schemas.ts';

/**
 * «Отчёт об оценке работы» as a PDF (A4, PT fonts, the protocol's tables): what an organizer files with the protocol
 * or hands to an applicant who asks how their result came about. Every number is the report's, formatted only.
 */

const at = (iso: string) => `${moscowDateTime(new Date(iso))} (МСК)`;
const placeText = (p: number | null) => (p === null ? 'без места' : `${p} место`);
const num = (x: number | null) => (x === null ? '—' : ruNumber(x));
/** «Белова Елена Николаевна» → «Белова Е. Н.»: a column header that still names the juror. */
const initials = (name: string) =>
  name
    .split(' ')
    .map((part, i) => (i === 0 ? part : `${part[0]}.`))
    .join(' ');

export function renderEntryReport(report: EntryReport, ctx: { now: Date; preparedBy: string }): Doc {
  const e = report.entry;
  const doc = juryDocument(`Отчёт об оценке работы ${e.registrationNumber ?? ''} — ${report.contest.title}`);
  const width = contentWidth(doc);
  const heading = (text: string) => {
    ensureSpace(doc, 50);
    doc.moveDown(0.6);
    doc.font('sans-bold').fontSize(11).text(text, MARGIN, doc.y, { width });
    doc.moveDown(0.2);
  };
  const paragraph = (text: string, size = 10) => doc.font('sans').fontSize(size).text(text, MARGIN, doc.y, { width });
  const field = (label: string, value: string) =>
    doc
      .font('sans-bold')
      .fontSize(10)
      .text(`${label}: `, MARGIN, doc.y, { width, continued: true })
      .font('sans')
      .text(value);

  doc.font('serif-bold').fontSize(15).text('ОТЧЁТ', { align: 'center' });
  doc.fontSize(12).text('об оценке работы членами жюри конкурса', { align: 'center' });
  doc.font('serif').fontSize(12).text(`«${report.contest.title}»`, { align: 'center' });
  doc.moveDown(0.8);
  const y = doc.y;
  doc
    .font('sans')
    .fontSize(10)
    .text(`Заявка № ${e.registrationNumber ?? '—'}`, MARGIN, y, { width: width / 2, lineBreak: false });
  doc.text(moscowLongDate(ctx.now), MARGIN + width / 2, y, { width: width / 2, align: 'right' });
  doc.x = MARGIN;
  doc.moveDown();

  heading('1. Сведения о работе');
  field('Номинация', report.nomination.title);
  if (e.title) field('Работа', e.title);
  field('Заявитель', e.applicant);
  if (e.municipality) field('Муниципальное образование', e.municipality);
  field(
    'Порядок оценки',
    `${report.contest.blind ? 'слепая оценка (члены жюри не видели имени заявителя)' : 'открытая оценка'}; критерии ${
      report.nomination.rubricVersion ? `версии ${report.nomination.rubricVersion}` : 'не заданы'
    }; работ в номинации: ${report.nomination.entries}.`,
  );

  heading('2. Оценочные листы членов жюри');
  const sheets = report.sheets;
  if (!sheets.length) paragraph('Работа не назначалась членам жюри.');
  else {
    // Criteria down, jurors across: a reader adds up a column to check a juror's total.
    const fixed = { weight: 34, max: 34 };
    const jurorWidth = Math.min(62, (width - 150 - fixed.weight - fixed.max) / sheets.length);
    const criterionWidth = width - fixed.weight - fixed.max - jurorWidth * sheets.length;
    drawTable(
      doc,
      [
        { title: 'Критерий', width: criterionWidth },
        { title: 'Вес', width: fixed.weight, align: 'right' },
        { title: 'Макс.', width: fixed.max, align: 'right' },
        ...sheets.map((s) => ({ title: initials(s.juror), width: jurorWidth, align: 'right' as const })),
      ],
      [
        ...report.criteria.map((c, k) => [
          c.title,
          ruNumber(c.weight),
          ruNumber(c.max),
          ...sheets.map((s) => (s.state === 'conflict' ? 'конфл.' : num(s.criteria[k].points))),
        ]),
        [
          'Итог члена жюри (сумма баллов × вес)',
          '',
          ruNumber(report.nomination.maxTotal),
          ...sheets.map((s) => (s.state === 'conflict' ? '—' : num(s.total))),
        ],
        ['Учтён в итоговой оценке', '', '', ...sheets.map((s) => (s.counted ? (s.trimmed ? 'отбр.' : 'да') : 'нет'))],
      ],
      { repeatHeader: true },
    );
    doc.moveDown(0.3);
    for (const s of sheets) {
      const state =
        s.state === 'submitted' && s.submittedAt
          ? `лист отправлен ${at(s.submittedAt)}`
          : s.state === 'draft' && s.updatedAt
            ? `лист не отправлен (черновик, последнее изменение ${at(s.updatedAt)})`
            : s.state === 'conflict'
              ? 'заявлен конфликт интересов, работу не оценивает'
              : 'лист не заполнен';
      paragraph(`${s.juror}${s.chair ? ' (председатель жюри)' : ''}: ${state}.`, 9);
    }
    paragraph(
      '«отбр.» — итог отброшен как самый высокий или самый низкий (усечённое среднее); «нет» — лист не отправлен или заявлен конфликт интересов.',
      8,
    );
    const comments = sheets.flatMap((s) => {
      const lines = s.criteria
        .filter((c) => c.comment.trim())
        .map(
          (c) => `по критерию «${report.criteria.find((x) => x.key === c.key)?.title ?? c.key}»: ${c.comment.trim()}`,
        );
      if (s.comment.trim()) lines.push(`общий комментарий: ${s.comment.trim()}`);
      return lines.length ? [`${s.juror} — ${lines.join('; ')}`] : [];
    });
    heading('Комментарии членов жюри');
    if (comments.length) for (const c of comments) paragraph(c, 9.5);
    else paragraph('Комментариев нет.', 9.5);
  }

  heading('3. Конфликты интересов');
  if (!report.conflicts.length) paragraph('Конфликтов интересов по этой работе не заявлено.');
  for (const c of report.conflicts)
    paragraph(
      `${c.juror}: заявлен ${at(c.declaredAt)} (заявил: ${c.declaredBy}). Причина: ${c.reason || 'не указана'}. ` +
        'Член жюри эту работу не оценивает: его лист в итоговую оценку не входит.',
    );

  heading('4. Расчёт итоговой оценки');
  paragraph(`Способ подведения итогов: ${report.contest.methodLabel}.`);
  doc.moveDown(0.2);
  for (const line of report.result.calculation) paragraph(line);
  doc.moveDown(0.3);
  const r = report.result;
  field('Итоговая оценка', num(r.score));
  field(
    'Ранг в номинации',
    r.rank === null
      ? 'нет'
      : `${r.rank} из ${report.nomination.entries}${r.sharedRank ? ' (делит ранг с другой работой)' : ''}`,
  );
  field('Место по расчёту', placeText(r.computedPlace));
  field('Итоговое место', placeText(r.finalPlace));
  if (r.tie) {
    doc.moveDown(0.2);
    paragraph(r.tie.text);
  }

  heading('5. Изменения места вручную');
  if (!report.overrides.length) paragraph('Место работы вручную не изменялось.');
  for (const o of report.overrides)
    paragraph(
      o.action === 'set'
        ? `${at(o.at)} — ${o.by}: ${placeText(o.place)}${o.previousPlace !== null ? ` (было: ${placeText(o.previousPlace)})` : ''}. Основание: ${o.reason}`
        : `${at(o.at)} — ${o.by}: изменение отменено, восстановлено место по расчёту${o.reason ? ` (отменено решение: «${o.reason}»)` : ''}.`,
    );

  heading('6. Оценочные листы, возвращённые на доработку');
  if (!report.reopened.length) paragraph('Оценочные листы этой работы на доработку не возвращались.');
  for (const x of report.reopened) paragraph(`${at(x.at)} — лист ${x.juror} вернул(а) ${x.by}. Причина: ${x.reason}`);

  doc.moveDown(1.2);
  ensureSpace(doc, 70);
  paragraph(
    `Отчёт сформирован ${at(ctx.now.toISOString())} по оценочным листам и журналу действий; числа совпадают с таблицей итогов и протоколом заседания жюри.`,
    8.5,
  );
  doc.moveDown(1.5);
  const sy = doc.y;
  doc.font('sans').fontSize(10).text('Организатор конкурса', MARGIN, sy, { width: 180, lineBreak: false });
  doc.text('_____________________', MARGIN + 190, sy, { width: 140, lineBreak: false });
  doc.text(ctx.preparedBy, MARGIN + 340, sy, { width: width - 340 });
  doc.end();
  return doc;
}
