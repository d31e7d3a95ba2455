import { describe, expect, test } from 'vitest';
import { applyAwardRule, type AwardRule, type Scored } from '../../server/src/modules/olympiad/results/awards.ts';

const rule = (overrides: Partial<AwardRule> = {}): AwardRule => ({
  maxScore: 100,
  thresholdShare: 0.5,
  quotaShare: 0.45,
  winners: 1,
  perGrade: false,
  ...overrides,
});
const people = (...totals: number[]): Scored[] =>
  totals.map((total, i) => ({ id: `p${String(i).padStart(2, '0')}`, total, grade: 10 }));

describe('the award rule', () => {
  test('ranks by total; the top scorer over the threshold wins, the next ones within the quota are prize-winners', () => {
    const placed = applyAwardRule(people(55, 90, 70, 40, 60, 30, 20, 10, 65, 51), rule());
    // 10 participants, quota 45 % → 4 awards.
    expect(placed.map((p) => p.status)).toEqual([
      'winner',
      'prize',
      'prize',
      'prize',
      'participant',
      'participant',
      'participant',
      'participant',
      'participant',
      'participant',
    ]);
    expect(placed.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('nobody over the threshold: nobody is awarded, whatever the quota', () => {
    const placed = applyAwardRule(people(50, 49, 10, 0), rule({ quotaShare: 1 }));
    expect(placed.every((p) => p.status === 'participant')).toBe(true);
    expect(placed.map((p) => p.rank)).toEqual([1, 2, 3, 4]);
  });

  test('exactly half of the maximum is not "more than half"', () => {
    expect(applyAwardRule(people(50.5, 50), rule({ quotaShare: 1 })).map((p) => p.status)).toEqual([
      'winner',
      'participant',
    ]);
  });

  test('ties at the quota boundary all get the same status when over the threshold, even past the quota', () => {
    // 10 participants, quota 4: the 4th place is shared by three → six awards.
    const placed = applyAwardRule(people(95, 90, 85, 80, 80, 80, 40, 30, 20, 10), rule());
    expect(placed.map((p) => p.status)).toEqual([
      'winner',
      'prize',
      'prize',
      'prize',
      'prize',
      'prize',
      'participant',
      'participant',
      'participant',
      'participant',
    ]);
    expect(placed.map((p) => p.rank)).toEqual([1, 2, 3, 4, 4, 4, 7, 8, 9, 10]);
  });

  test('ties just past a full quota stay participants; ties at the top are all winners', () => {
    const full = applyAwardRule(people(95, 90, 85, 80, 70, 70, 40, 30, 20, 10), rule());
    expect(full.map((p) => p.status).slice(0, 6)).toEqual([
      'winner',
      'prize',
      'prize',
      'prize',
      'participant',
      'participant',
    ]);
    const top = applyAwardRule(people(90, 90, 60, 10), rule({ quotaShare: 0.5 }));
    expect(top.map((p) => p.status)).toEqual(['winner', 'winner', 'participant', 'participant']);
    expect(top.map((p) => p.rank)).toEqual([1, 1, 3, 4]);
  });

  test('several winners when configured; the quota rounds down, so a tiny group may get no award', () => {
    expect(
      applyAwardRule(people(90, 80, 70, 60, 55, 52, 40, 30, 20, 10), rule({ winners: 2 }))
        .map((p) => p.status)
        .slice(0, 5),
    ).toEqual(['winner', 'winner', 'prize', 'prize', 'participant']);
    expect(applyAwardRule(people(99, 98), rule()).map((p) => p.status)).toEqual(['participant', 'participant']);
    expect(applyAwardRule(people(99, 98, 97), rule()).map((p) => p.status)).toEqual([
      'winner',
      'participant',
      'participant',
    ]);
    expect(applyAwardRule([], rule())).toEqual([]);
  });

  test('per grade: each grade is ranked and awarded on its own', () => {
    const mixed: Scored[] = [
      { id: 'a', total: 95, grade: 11 },
      { id: 'b', total: 90, grade: 11 },
      { id: 'c', total: 30, grade: 11 },
      { id: 'd', total: 60, grade: 10 },
      { id: 'e', total: 55, grade: 10 },
      { id: 'f', total: 20, grade: 10 },
    ];
    const together = applyAwardRule(mixed, rule({ quotaShare: 0.5 }));
    expect(Object.fromEntries(together.map((p) => [p.id, p.status]))).toMatchObject({
      a: 'winner',
      b: 'prize',
      d: 'prize',
      e: 'participant',
    });
    const perGrade = applyAwardRule(mixed, rule({ quotaShare: 0.5, perGrade: true }));
    expect(Object.fromEntries(perGrade.map((p) => [p.id, `${p.status}/${p.rank}`]))).toEqual({
      d: 'winner/1',
      e: 'participant/2',
      f: 'participant/3',
      a: 'winner/1',
      b: 'participant/2',
      c: 'participant/3',
    });
  });
});
