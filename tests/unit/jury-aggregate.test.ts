import { describe, expect, test } from 'vitest';
import {
  aggregateNomination,
  jurorTotal,
  type Criterion,
  type Sheet,
} from '../../server/src/modules/jury/results/aggregate.ts';

// One criterion 0–10 with weight 1: a sheet's total is its points.
const ONE: Criterion[] = [{ id: 'q', weight: 1, min: 0, max: 10 }];
const sheet = (jurorId: string, entryId: string, q: number, extra: Record<string, number> = {}): Sheet => ({
  jurorId,
  entryId,
  points: { q, ...extra },
});
const settings = { method: 'mean' as const, tieBreakers: [], places: 3 };
const order = (r: ReturnType<typeof aggregateNomination>) => r.entries.map((e) => e.entryId);
const byId = (r: ReturnType<typeof aggregateNomination>, id: string) => r.entries.find((e) => e.entryId === id)!;

describe('a juror total', () => {
  test('is the weighted sum of the criteria', () => {
    const criteria: Criterion[] = [
      { id: 'residents', weight: 2, min: 0, max: 5 },
      { id: 'territory', weight: 1.5, min: 0, max: 10 },
      { id: 'grants', weight: 0.5, min: 0, max: 10 },
    ];
    expect(jurorTotal(criteria, { residents: 4, territory: 7.5, grants: 3 })).toBe(8 + 11.25 + 1.5);
    expect(jurorTotal(criteria, { residents: 0.1, territory: 0.2 })).toBe(0.5);
  });
});

describe('ranking and places', () => {
  test('a tie at the place boundary shares the place; the next rank skips', () => {
    const r = aggregateNomination(
      ONE,
      [sheet('j1', 'a', 9), sheet('j1', 'b', 8), sheet('j1', 'c', 7), sheet('j1', 'd', 7), sheet('j1', 'e', 6)],
      settings,
    );
    expect(r.entries.map((e) => [e.entryId, e.rank, e.place])).toEqual([
      ['a', 1, 1],
      ['b', 2, 2],
      ['c', 3, 3],
      ['d', 3, 3],
      ['e', 5, null],
    ]);
    expect(byId(r, 'c').sharedRank).toBe(true);
    expect(byId(r, 'b').sharedRank).toBe(false);
  });

  test('equal scores are separated by the first tie-breaking criterion that differs', () => {
    const criteria: Criterion[] = [
      { id: 'q', weight: 1, min: 0, max: 10 },
      { id: 'residents', weight: 1, min: 0, max: 10 },
      { id: 'grants', weight: 1, min: 0, max: 10 },
    ];
    const sheets = [
      { jurorId: 'j1', entryId: 'a', points: { q: 5, residents: 3, grants: 4 } },
      { jurorId: 'j1', entryId: 'b', points: { q: 4, residents: 3, grants: 5 } },
      { jurorId: 'j1', entryId: 'c', points: { q: 2, residents: 4, grants: 6 } },
    ];
    const r = aggregateNomination(criteria, sheets, {
      method: 'mean',
      tieBreakers: ['residents', 'grants'],
      places: 3,
    });
    expect(r.entries.map((e) => e.score)).toEqual([12, 12, 12]);
    expect(order(r)).toEqual(['c', 'b', 'a']);
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2, 3]);
    expect(byId(r, 'c').decidedBy).toBe('residents');
    expect(byId(r, 'b').decidedBy).toBe('residents');
    expect(byId(r, 'a').decidedBy).toBe('grants');
    expect(r.entries.some((e) => e.sharedRank)).toBe(false);
  });

  test('without tie-breakers equal entries share the rank', () => {
    const r = aggregateNomination(ONE, [sheet('j1', 'a', 7), sheet('j1', 'b', 7)], settings);
    expect(r.entries.map((e) => e.rank)).toEqual([1, 1]);
    expect(r.entries.map((e) => e.place)).toEqual([1, 1]);
  });

  test('the number of places is configurable', () => {
    const r = aggregateNomination(ONE, [sheet('j1', 'a', 9), sheet('j1', 'b', 8), sheet('j1', 'c', 7)], {
      ...settings,
      places: 1,
    });
    expect(r.entries.map((e) => e.place)).toEqual([1, null, null]);
  });
});

describe('methods', () => {
  const five = ['j1', 'j2', 'j3', 'j4', 'j5'];
  test('median', () => {
    const r = aggregateNomination(
      ONE,
      [sheet('j1', 'a', 2), sheet('j2', 'a', 9), sheet('j3', 'a', 3), sheet('j4', 'a', 4)],
      { ...settings, method: 'median' },
    );
    expect(r.entries[0].score).toBe(3.5);
  });

  test('trimmed mean drops the highest and the lowest with five jurors, and is the plain mean with four', () => {
    const withFive = aggregateNomination(
      ONE,
      [1, 6, 7, 8, 10].map((q, i) => sheet(five[i], 'a', q)),
      { ...settings, method: 'trimmed_mean' },
    );
    expect(withFive.entries[0].score).toBe(7);
    const withFour = aggregateNomination(
      ONE,
      [1, 6, 7, 10].map((q, i) => sheet(five[i], 'a', q)),
      { ...settings, method: 'trimmed_mean' },
    );
    expect(withFour.entries[0].score).toBe(6);
  });

  test('standardized scores correct a lenient juror that the plain mean rewards', () => {
    // j2 is lenient and scored only c and d; the plain mean lifts c above b.
    const sheets = [
      sheet('j1', 'a', 7),
      sheet('j1', 'b', 5),
      sheet('j1', 'c', 3),
      sheet('j2', 'c', 9),
      sheet('j2', 'd', 8.5),
      sheet('j3', 'a', 8),
      sheet('j3', 'b', 6),
      sheet('j3', 'd', 2),
    ];
    expect(order(aggregateNomination(ONE, sheets, settings))).toEqual(['a', 'c', 'b', 'd']);
    const z = aggregateNomination(ONE, sheets, { ...settings, method: 'standardized' });
    expect(order(z)).toEqual(['a', 'b', 'c', 'd']);
    expect(byId(z, 'a').score).toBeCloseTo((1 + (8 - 16 / 3) / Math.sqrt(28 / 3)) / 2, 9);
    const leniency = Object.fromEntries(z.jurors.map((j) => [j.jurorId, j.leniency]));
    expect(leniency.j2).toBeGreaterThan(0);
    expect(leniency.j1).toBeLessThan(0);
  });

  test('the derivation of a standardized score: each juror’s mean, SD and z, computed by hand', () => {
    // j1 scored a 7, b 5, c 3: mean 5, SD 2, so a is +1, c is −1. j3 scored a 8, b 6, d 2: mean 16/3,
    // SD √(28/3) ≈ 3,0551, so a is (8 − 5,3333) / 3,0551 ≈ 0,8729. The score of a is (1 + 0,8729) / 2 ≈ 0,9364.
    const sheets = [
      sheet('j1', 'a', 7),
      sheet('j1', 'b', 5),
      sheet('j1', 'c', 3),
      sheet('j3', 'a', 8),
      sheet('j3', 'b', 6),
      sheet('j3', 'd', 2),
    ];
    const a = byId(aggregateNomination(ONE, sheets, { ...settings, method: 'standardized' }), 'a');
    expect(a.derivation.used).toEqual(['j1', 'j3']);
    expect(a.derivation.trimmed).toEqual([]);
    expect(a.derivation.z.j1).toEqual({ mean: 5, sd: 2, entries: 3, z: 1 });
    expect(a.derivation.z.j3.mean).toBeCloseTo(16 / 3, 12);
    expect(a.derivation.z.j3.sd).toBeCloseTo(3.0550504633, 9);
    expect(a.derivation.z.j3.z).toBeCloseTo(0.8728715609, 9);
    expect(a.score).toBeCloseTo(0.9364357805, 9);
    // Redone from the derivation alone, the score is what the ranking used.
    const redone = a.derivation.used.map((j) => (a.jurorTotals[j] - a.derivation.z[j].mean) / a.derivation.z[j].sd);
    expect((redone[0] + redone[1]) / 2).toBeCloseTo(a.score!, 9);
    // Other methods have no z-scores.
    expect(byId(aggregateNomination(ONE, sheets, settings), 'a').derivation.z).toEqual({});
  });

  test('the derivation of a trimmed mean names the dropped jurors, and of a median the values used', () => {
    // Totals 1, 6, 7, 8, 10: j1 (1) and j5 (10) are dropped, (6 + 7 + 8) / 3 = 7.
    const five = aggregateNomination(
      ONE,
      [6, 1, 10, 7, 8].map((q, i) => sheet(`j${i + 1}`, 'a', q)),
      { ...settings, method: 'trimmed_mean' },
    ).entries[0];
    expect(five.derivation.trimmed).toEqual(['j2', 'j3']);
    expect(five.derivation.used).toEqual(['j1', 'j4', 'j5']);
    expect(five.score).toBe(7);
    // Equal extremes: the juror first by id is dropped at the bottom, the last by id at the top, every time.
    const ties = aggregateNomination(
      ONE,
      [5, 5, 5, 5, 5].map((q, i) => sheet(`j${i + 1}`, 'a', q)),
      { ...settings, method: 'trimmed_mean' },
    ).entries[0];
    expect(ties.derivation.trimmed).toEqual(['j1', 'j5']);
    // Four jurors: nothing is dropped.
    const four = aggregateNomination(
      ONE,
      [6, 1, 10, 7].map((q, i) => sheet(`j${i + 1}`, 'a', q)),
      { ...settings, method: 'trimmed_mean' },
    ).entries[0];
    expect(four.derivation.trimmed).toEqual([]);
    expect(four.derivation.used).toEqual(['j2', 'j1', 'j4', 'j3']);
    const med = aggregateNomination(
      ONE,
      [6, 1, 10, 7].map((q, i) => sheet(`j${i + 1}`, 'a', q)),
      { ...settings, method: 'median' },
    ).entries[0];
    expect(med.derivation.used).toEqual(['j2', 'j1', 'j4', 'j3']);
    expect(med.score).toBe(6.5);
  });

  test('the derivation carries the tie-breaking means that ordered equal scores', () => {
    const criteria: Criterion[] = [
      { id: 'q', weight: 1, min: 0, max: 10 },
      { id: 'residents', weight: 1, min: 0, max: 10 },
    ];
    const r = aggregateNomination(
      criteria,
      [
        { jurorId: 'j1', entryId: 'a', points: { q: 5, residents: 3 } },
        { jurorId: 'j2', entryId: 'a', points: { q: 4, residents: 4 } },
        { jurorId: 'j1', entryId: 'b', points: { q: 3, residents: 5 } },
        { jurorId: 'j2', entryId: 'b', points: { q: 3, residents: 5 } },
      ],
      { ...settings, tieBreakers: ['residents'] },
    );
    // Both total 8; residents: a (3 + 4) / 2 = 3,5, b 5. b first, decided by residents.
    expect(order(r)).toEqual(['b', 'a']);
    expect(byId(r, 'a').derivation.tieBreakerMeans).toEqual({ residents: 3.5 });
    expect(byId(r, 'b').derivation.tieBreakerMeans).toEqual({ residents: 5 });
    expect(byId(r, 'a').decidedBy).toBe('residents');
  });

  test('a conflicted juror is left out of the entry', () => {
    const r = aggregateNomination(
      ONE,
      [sheet('j1', 'a', 8), sheet('j2', 'a', 6), { ...sheet('j3', 'a', 0), conflict: true }],
      settings,
    );
    expect(r.entries[0]).toMatchObject({ score: 7, jurorCount: 2, jurorTotals: { j1: 8, j2: 6 } });
  });
});

describe('how far the ranking can be trusted', () => {
  test("Kendall's W is 1 when jurors agree and 0 when two jurors rank in reverse", () => {
    const agree = aggregateNomination(
      ONE,
      ['j1', 'j2', 'j3'].flatMap((j) => [sheet(j, 'a', 9), sheet(j, 'b', 6), sheet(j, 'c', 3)]),
      settings,
    );
    expect(agree.agreement.kendallW).toBe(1);
    expect(agree.agreement.icc).toBe(1);
    const reverse = aggregateNomination(
      ONE,
      [
        sheet('j1', 'a', 9),
        sheet('j1', 'b', 6),
        sheet('j1', 'c', 3),
        sheet('j2', 'a', 3),
        sheet('j2', 'b', 6),
        sheet('j2', 'c', 9),
      ],
      settings,
    );
    expect(reverse.agreement.kendallW).toBe(0);
    expect(reverse.agreement.icc).toBeLessThan(0);
  });

  test("Kendall's W matches the textbook value with ties, and is absent for an incomplete panel", () => {
    // 3 jurors, 4 entries; j3 ties b and c (ranks 3.5 each). Rank sums a 3, b 8.5, c 8.5, d 10 around a mean of 7.5
    // → S = 28.5; with the tie correction W = 12·28.5 / (9·(64 − 4) − 3·(8 − 2)) = 342 / 522.
    const sheets = [
      sheet('j1', 'a', 1),
      sheet('j1', 'b', 2),
      sheet('j1', 'c', 3),
      sheet('j1', 'd', 4),
      sheet('j2', 'a', 1),
      sheet('j2', 'b', 3),
      sheet('j2', 'c', 2),
      sheet('j2', 'd', 4),
      sheet('j3', 'a', 1),
      sheet('j3', 'b', 3),
      sheet('j3', 'c', 3),
      sheet('j3', 'd', 2),
    ];
    expect(aggregateNomination(ONE, sheets, settings).agreement.kendallW).toBeCloseTo(342 / 522, 9);
    expect(aggregateNomination(ONE, sheets.slice(1), settings).agreement.kendallW).toBeNull();
    expect(aggregateNomination(ONE, sheets.slice(1), settings).agreement.icc).not.toBeNull();
  });

  test('ICC(1,1) and ICC(1,k) match Shrout & Fleiss (1979), table 2, computed by hand', () => {
    // 6 targets × 4 judges. Row means 6, 3, 6.5, 4, 7.5, 4.75 around a grand mean of 127/24:
    // SSB = 4·(182.0625 − 31.75²/6), MSB = SSB/5 ≈ 11.24; SSW = 30 + 14 + 11 + 26 + 17 + 14.75 = 112.75, MSW = SSW/18.
    // ICC(1,1) = (MSB − MSW)/(MSB + 3·MSW) ≈ 0.17 and ICC(1,4) = (MSB − MSW)/MSB ≈ 0.44, as in the paper
    // (pingouin.intraclass_corr gives ICC1 = 0.166, ICC1k = 0.443 on the same table).
    const table = [
      [9, 2, 5, 8],
      [6, 1, 3, 2],
      [8, 4, 6, 8],
      [7, 1, 2, 6],
      [10, 5, 6, 9],
      [6, 2, 4, 7],
    ];
    const sheets = table.flatMap((row, t) => row.map((q, j) => sheet(`j${j}`, `t${t}`, q)));
    const msb = (4 * (182.0625 - 31.75 ** 2 / 6)) / 5;
    const msw = 112.75 / 18;
    const { agreement } = aggregateNomination(ONE, sheets, settings);
    expect(agreement.icc).toBeCloseTo((msb - msw) / (msb + 3 * msw), 9);
    expect(agreement.iccMean).toBeCloseTo((msb - msw) / msb, 9);
    expect(agreement.icc).toBeCloseTo(0.17, 2);
    expect(agreement.iccMean).toBeCloseTo(0.44, 2);
    // With unequal panels ICC(1,k) is ICC(1,1) stepped up to k0 jurors (Spearman–Brown).
    const uneven = aggregateNomination(ONE, sheets.slice(1), settings).agreement;
    const k0 = (23 - (9 + 5 * 16) / 23) / 5;
    expect(uneven.iccMean).toBeCloseTo((k0 * uneven.icc!) / (1 + (k0 - 1) * uneven.icc!), 6);
  });

  test('leniency compares a juror with the other jurors, not with a mean that includes the juror', () => {
    // On a: j1 10, j2 6, j3 8. The others' mean for j1 is 7, so j1 is 3 points more lenient (not 10 − 8 = 2);
    // b, scored by j1 alone, has no one to compare with and does not dilute it.
    const r = aggregateNomination(
      ONE,
      [sheet('j1', 'a', 10), sheet('j2', 'a', 6), sheet('j3', 'a', 8), sheet('j1', 'b', 5), sheet('j4', 'c', 5)],
      settings,
    );
    const leniency = Object.fromEntries(r.jurors.map((j) => [j.jurorId, j.leniency]));
    expect(leniency).toEqual({ j1: 3, j2: -3, j3: 0, j4: null });
  });

  test('a strong disagreement on an entry is flagged, and close neighbouring places are warned about', () => {
    const r = aggregateNomination(
      ONE,
      [
        sheet('j1', 'a', 9),
        sheet('j2', 'a', 5),
        sheet('j1', 'b', 8),
        sheet('j2', 'b', 5.5),
        sheet('j1', 'c', 4),
        sheet('j2', 'c', 4),
      ],
      settings,
    );
    expect(byId(r, 'a').disagreement).toBe(true);
    expect(byId(r, 'b').disagreement).toBe(false);
    expect(r.warnings.filter((w) => w.kind === 'close_places').map((w) => w.entryIds)).toEqual([['a', 'b']]);
    expect(r.warnings[0].message).toMatch(/^Места 1 и 2/);
  });
});
