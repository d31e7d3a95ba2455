import { describe, expect, test } from 'vitest';
import { renderProtocol } from '../../server/src/modules/jury/results/protocol.ts';
import { pdfPageCount, pdfText } from '../helpers/pdf.ts';

async function toBuffer(doc: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of doc) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the jury protocol PDF', () => {
  test('states the contest, the jury, every entry with its scores and place, and the signature lines, in Russian', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      place: i < 3 ? i + 1 : null,
      rank: i + 1,
      registrationNumber: `ТОС-2026-${String(i + 1).padStart(3, '0')}`,
      participant: `Участник Номер ${i + 1}`,
      score: (40 - i).toFixed(2),
      jurorTotals: ['40', '39,5', '41'],
    }));
    const pdf = await toBuffer(
      renderProtocol({
        contestTitle: 'Лучший руководитель ТОС Смоленской области',
        date: '15.06.2026',
        place: 'г. Смоленск',
        methodLabel: 'среднее арифметическое оценок членов жюри',
        jury: [
          { name: 'Соколов Андрей Викторович', role: 'председатель жюри' },
          { name: 'Ёлкина Анна Петровна', role: 'член жюри' },
          { name: 'Щукин Олег Ильич', role: 'член жюри' },
        ],
        nominations: [
          { title: 'Лучший старейшина', jurorNames: ['Соколов А. В.', 'Ёлкина А. П.', 'Щукин О. И.'], rows },
        ],
        chairName: 'Соколов Андрей Викторович',
      }),
    );
    const text = pdfText(pdf);
    for (const expected of [
      'ПРОТОКОЛ',
      'Лучший руководитель ТОС Смоленской области',
      'Соколов Андрей Викторович',
      'Номинация «Лучший старейшина»',
      'ТОС-2026-001',
      'Участник Номер 40',
      'Председатель жюри',
      'Ёлкина Анна Петровна',
    ]) {
      expect(text).toContain(expected);
    }
    expect(pdfPageCount(pdf)).toBeGreaterThan(1);
  });

  test('the signature block is never split across pages, whatever the length of the table', async () => {
    const jury = [
      { name: 'Соколов Андрей Викторович', role: 'председатель жюри' },
      ...['Ёлкина Анна Петровна', 'Щукин Олег Ильич', 'Орлова Светлана Юрьевна', 'Демидов Олег Сергеевич'].map(
        (name) => ({
          name,
          role: 'член жюри',
        }),
      ),
    ];
    for (let length = 14; length <= 30; length++) {
      const rows = Array.from({ length }, (_, i) => ({
        place: i < 3 ? i + 1 : null,
        rank: i + 1,
        registrationNumber: `ТОС-2026-${String(i + 1).padStart(3, '0')}`,
        participant: `Участник Номер ${i + 1}`,
        score: String(40 - i),
        jurorTotals: ['40', '39,5', '41', '38', '40'],
      }));
      const text = pdfText(
        await toBuffer(
          renderProtocol({
            contestTitle: 'Лучший ТОС',
            date: '15 декабря 2026 г.',
            place: 'г. Смоленск',
            methodLabel: 'среднее арифметическое оценок членов жюри',
            jury,
            nominations: [{ title: 'Лучший двор', jurorNames: jury.map((j) => j.name), rows }],
            chairName: jury[0].name,
            secretaryName: 'Морозова Елена Игоревна',
          }),
        ),
      );
      const page = text.split('\f').find((p) => p.includes('Председатель жюри'))!;
      const block = page.slice(page.indexOf('Председатель жюри'));
      for (const name of ['Морозова Елена Игоревна', ...jury.map((j) => j.name)])
        expect(block, `${length} rows`).toContain(name);
    }
  });
});
