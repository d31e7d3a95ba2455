import { MARGIN, drawTable, ensureSpace, juryDocument, type Doc } from './pdf-layout.ts';

/** What the jury's minutes («Протокол заседания жюри») state; all text already in its final Russian form. */
export interface ProtocolInput {
  contestTitle: string;
  /** The protocol's number, if the organizer gave one. */
  number?: string;
  /** «15 декабря 2026 г.» */
  date: string;
  place: string;
  /** e.g. «среднее арифметическое оценок членов жюри» */
  methodLabel: string;
  /** How equal totals are ordered, in words: «при равенстве итоговых оценок выше работа с большим средним баллом по критерию …». */
  tieRule?: string;
  /** The whole jury; `present: false` for members who did not take part in the meeting. */
  jury: { name: string; role: string; present?: boolean }[];
  nominations: {
    title: string;
    jurorNames: string[];
    rows: {
      place: number | null;
      rank: number | null;
      registrationNumber: string;
      participant: string;
      score: string;
      /** Each juror's total, or «конфл.» (a declared conflict), «не сдан» (assigned, sheet not sent), «—» (not assigned). */
      jurorTotals: string[];
    }[];
    /** Sheets sent of those expected, and the ones missing. */
    sheets?: { submitted: number; expected: number; missing: string[] };
    /** How each tie of totals was resolved, in words. */
    ties?: string[];
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

const SIGNATURE_LINE = 26;

/** The protocol as a PDF stream (A4 portrait, PT fonts); pipe it where it must go. */
export function renderProtocol(input: ProtocolInput): Doc {
  const doc = juryDocument(`Протокол заседания жюри — ${input.contestTitle}`);
  const width = doc.page.width - 2 * MARGIN;
  const heading = (text: string) => {
    ensureSpace(doc, 40);
    doc.font('sans-bold').fontSize(11).text(text, MARGIN, doc.y, { width });
    doc.font('sans').fontSize(10);
  };
  const paragraph = (text: string, size = 10) => doc.font('sans').fontSize(size).text(text, MARGIN, doc.y, { width });

  doc
    .font('serif-bold')
    .fontSize(15)
    .text(input.number ? `ПРОТОКОЛ № ${input.number}` : 'ПРОТОКОЛ', { align: 'center' });
  doc.fontSize(12).text('заседания жюри конкурса', { align: 'center' });
  doc.font('serif').fontSize(12).text(`«${input.contestTitle}»`, { align: 'center' });
  doc.moveDown(0.8);
  const y = doc.y;
  doc
    .font('sans')
    .fontSize(10)
    .text(input.place || '____________________', MARGIN, y, { width: width / 2, lineBreak: false });
  doc.text(input.date, MARGIN + width / 2, y, { width: width / 2, align: 'right' });
  doc.x = MARGIN;
  doc.moveDown();

  const present = input.jury.filter((j) => j.present !== false);
  heading('Состав жюри:');
  input.jury.forEach((j, i) =>
    paragraph(`${i + 1}. ${j.name} — ${j.role}${j.present === false ? ' (в заседании не участвовал(а))' : ''}`),
  );
  doc.moveDown(0.3);
  const quorum = present.length * 2 > input.jury.length;
  paragraph(
    `В заседании участвовали ${present.length} из ${input.jury.length} членов жюри. ` +
      (quorum
        ? 'Кворум имеется: участвует более половины состава жюри, заседание правомочно.'
        : 'Кворума нет: участвует не более половины состава жюри.'),
  );
  doc.moveDown(0.5);
  heading('Порядок подведения итогов:');
  paragraph(
    `Каждый член жюри оценил назначенные ему работы по критериям в оценочном листе. Итоговая оценка работы — ` +
      `${input.methodLabel}. Места присуждены по убыванию итоговой оценки` +
      (input.tieRule ? `; ${input.tieRule}.` : '.') +
      ' Член жюри, заявивший конфликт интересов, работу не оценивал.',
  );
  doc.moveDown();

  for (const n of input.nominations) {
    ensureSpace(doc, 100);
    doc.font('sans-bold').fontSize(11).text(`Номинация «${n.title}»`, MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    if (n.sheets) {
      const missing = n.sheets.missing.length ? ` Не отправлены: ${n.sheets.missing.join('; ')}.` : '';
      paragraph(`Оценочные листы: отправлено ${n.sheets.submitted} из ${n.sheets.expected}.${missing}`, 9);
      doc.moveDown(0.3);
    }
    table(doc, n, width);
    const list = (title: string, lines: string[]) => {
      if (!lines.length) return;
      doc.moveDown(0.5);
      ensureSpace(doc, 30);
      doc.font('sans-bold').fontSize(10).text(title, MARGIN, doc.y, { width });
      for (const line of lines) paragraph(line, 9);
    };
    list('Равные итоговые оценки:', n.ties ?? []);
    const placeText = (p: number | null) => (p === null ? 'без места' : `${p} место`);
    list(
      'Изменения мест по решению жюри:',
      (n.overrides ?? []).map(
        (o) =>
          `${o.registrationNumber}, ${o.participant}: ${placeText(o.place)} (по расчёту — ${placeText(o.computedPlace)}). Основание: ${o.reason}`,
      ),
    );
    list('Внимание:', n.warnings ?? []);
    list(
      'Оценки, возвращённые на доработку:',
      (n.reopened ?? []).map(
        (x) => `${x.registrationNumber}, оценка: ${x.juror}. Вернул ${x.by} ${x.at}. Причина: ${x.reason}`,
      ),
    );
    doc.moveDown();
  }

  heading('РЕШИЛИ:');
  paragraph('1. Утвердить итоги конкурса по оценочным листам членов жюри.');
  let point = 2;
  for (const n of input.nominations) {
    const winners = n.rows.filter((r) => r.place !== null).sort((a, b) => a.place! - b.place!);
    if (!winners.length) continue;
    ensureSpace(doc, 30);
    paragraph(`${point++}. Присудить в номинации «${n.title}»:`);
    winners.forEach((w, i) =>
      paragraph(
        `    ${w.place} место — ${w.participant}, заявка ${w.registrationNumber}${i === winners.length - 1 ? '.' : ';'}`,
      ),
    );
  }

  // The signature block stays together: the chair, the secretary and every member who took part.
  const members = present.filter((j) => j.name !== input.chairName && j.name !== input.secretaryName);
  const lines = 1 + (input.secretaryName ? 1 : 0) + members.length + (members.length ? 1 : 0);
  doc.moveDown(1.5);
  ensureSpace(doc, lines * SIGNATURE_LINE + 10);
  const signature = (role: string, name: string) => {
    const y = doc.y;
    doc.font('sans').fontSize(10).text(role, MARGIN, y, { width: 180, lineBreak: false });
    doc.text('_____________________', MARGIN + 190, y, { width: 140, lineBreak: false });
    doc.text(name, MARGIN + 340, y, { width: width - 340 });
    doc.x = MARGIN;
    doc.y = y + SIGNATURE_LINE;
  };
  signature('Председатель жюри', input.chairName);
  if (input.secretaryName) signature('Секретарь', input.secretaryName);
  if (members.length) {
    doc.font('sans').fontSize(10).text('Члены жюри:', MARGIN, doc.y, { width });
    doc.y += 6;
    for (const j of members) signature('', j.name);
  }
  doc.end();
  return doc;
}

/** Columns: place, number, participant, each juror's total, score. Narrow enough for up to 7 jurors. */
function table(doc: Doc, n: ProtocolInput['nominations'][number], width: number): void {
  const jurorCols = n.jurorNames.length;
  const fixed = { place: 42, number: 80, score: 48 };
  const jurorWidth = jurorCols ? Math.min(44, (width - fixed.place - fixed.number - fixed.score - 120) / jurorCols) : 0;
  const participantWidth = width - fixed.place - fixed.number - fixed.score - jurorWidth * jurorCols;
  const columns = [
    { title: 'Место', width: fixed.place },
    { title: '№ заявки', width: fixed.number },
    { title: 'Участник', width: participantWidth },
    ...n.jurorNames.map((_, i) => ({ title: `Ж${i + 1}`, width: jurorWidth })),
    { title: 'Итог', width: fixed.score },
  ];
  drawTable(
    doc,
    columns,
    n.rows.map((r) => [
      r.place ? String(r.place) : '—',
      r.registrationNumber,
      r.participant,
      ...r.jurorTotals,
      r.score,
    ]),
  );
  if (jurorCols) {
    doc
      .font('sans')
      .fontSize(8)
      .text(
        n.jurorNames.map((name, i) => `Ж${i + 1} — ${name}`).join('; ') +
          '. «конфл.» — заявлен конфликт интересов, работу не оценивал(а); «не сдан» — оценочный лист не отправлен; «—» — работа не назначалась.',
        MARGIN,
        doc.y + 3,
        { width },
      );
  }
}
