import { describe, expect, test } from 'vitest';
import {
  planAssignments,
  type AssignmentEntry,
  type AssignmentInput,
  type AssignmentJuror,
  type Pair,
} from '../../server/src/modules/jury/assignment/assignment.ts';

const entries = (n: number, municipality: (i: number) => string | null = () => null): AssignmentEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `e${String(i).padStart(2, '0')}`,
    nominationId: 'n1',
    municipality: municipality(i),
  }));
const jurors = (n: number, municipality: (i: number) => string | null = () => null): AssignmentJuror[] =>
  Array.from({ length: n }, (_, i) => ({ id: `j${i}`, municipality: municipality(i) }));
const plan = (input: Partial<AssignmentInput> & Pick<AssignmentInput, 'entries' | 'jurors'>) =>
  planAssignments({ existing: [], conflicts: [], perEntry: 3, avoidOwnMunicipality: false, ...input });

/** Jurors per entry, old and new together. */
function perEntry(all: Pair[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const a of all) m.set(a.applicationId, [...(m.get(a.applicationId) ?? []), a.jurorId]);
  return m;
}
const spread = (loads: Array<{ load: number }>) =>
  Math.max(...loads.map((l) => l.load)) - Math.min(...loads.map((l) => l.load));

describe('automatic assignment', () => {
  test('gives every entry K distinct jurors with loads within one of each other', () => {
    for (const [n, m, k] of [
      [7, 5, 3],
      [10, 4, 2],
      [13, 6, 4],
      [3, 7, 3],
    ] as const) {
      const result = plan({ entries: entries(n), jurors: jurors(m), perEntry: k });
      expect(result.shortfalls).toEqual([]);
      expect(result.assignments).toHaveLength(n * k);
      for (const list of perEntry(result.assignments).values()) {
        expect(list).toHaveLength(k);
        expect(new Set(list).size).toBe(k);
      }
      expect(spread(result.loads)).toBeLessThanOrEqual(1);
      expect(result.loads.reduce((s, l) => s + l.load, 0)).toBe(n * k);
    }
  });

  test('is deterministic', () => {
    const input = { entries: entries(9), jurors: jurors(4), perEntry: 2 };
    expect(plan(input)).toEqual(plan(input));
  });

  test('never assigns a juror with a declared conflict', () => {
    const conflicts = [
      { applicationId: 'e00', jurorId: 'j0' },
      { applicationId: 'e00', jurorId: 'j1' },
      { applicationId: 'e03', jurorId: 'j2' },
    ];
    const result = plan({ entries: entries(6), jurors: jurors(5), conflicts });
    expect(result.shortfalls).toEqual([]);
    const byEntry = perEntry(result.assignments);
    expect(byEntry.get('e00')).toEqual(expect.not.arrayContaining(['j0']));
    expect(byEntry.get('e00')).toEqual(expect.not.arrayContaining(['j1']));
    expect(byEntry.get('e03')).toEqual(expect.not.arrayContaining(['j2']));
    expect(spread(result.loads)).toBeLessThanOrEqual(1);
  });

  test('with the municipality rule never gives a juror an entry from their municipality; without it, may', () => {
    const mun = (i: number) => ['Вяземский', 'Гагаринский', 'Ярцевский'][i % 3];
    const input = { entries: entries(9, mun), jurors: jurors(6, (i) => ` ${mun(i).toUpperCase()} `), perEntry: 3 };
    const ruled = plan({ ...input, avoidOwnMunicipality: true });
    expect(ruled.shortfalls).toEqual([]);
    for (const a of ruled.assignments) {
      const entry = input.entries.find((e) => e.id === a.applicationId)!;
      const juror = input.jurors.find((j) => j.id === a.jurorId)!;
      expect(juror.municipality!.trim().toLowerCase()).not.toBe(entry.municipality!.toLowerCase());
    }
    const free = plan(input);
    expect(
      free.assignments.some((a) => mun(Number(a.applicationId.slice(1))) === mun(Number(a.jurorId.slice(1)))),
    ).toBe(true);
  });

  test('keeps existing assignments, counts them towards K and the loads', () => {
    const existing = [
      { applicationId: 'e00', jurorId: 'j0' },
      { applicationId: 'e00', jurorId: 'j1' },
      { applicationId: 'e01', jurorId: 'j0' },
    ];
    const result = plan({ entries: entries(4), jurors: jurors(4), perEntry: 2, existing });
    expect(result.assignments.some((a) => a.applicationId === 'e00')).toBe(false);
    const all = perEntry([...existing, ...result.assignments]);
    expect(all.get('e01')).toContain('j0');
    for (const list of all.values()) expect(list).toHaveLength(2);
    expect(result.assignments).toHaveLength(8 - existing.length);
    expect(spread(result.loads)).toBeLessThanOrEqual(1);
    expect(result.loads.find((l) => l.jurorId === 'j0')!.load).toBe(2);
  });

  test('an existing assignment of a conflicted juror does not count, nor does one of a juror no longer on the jury', () => {
    const existing = [
      { applicationId: 'e00', jurorId: 'j0' },
      { applicationId: 'e00', jurorId: 'gone' },
    ];
    const result = plan({
      entries: entries(1),
      jurors: jurors(3),
      perEntry: 2,
      existing,
      conflicts: [{ applicationId: 'e00', jurorId: 'j0' }],
    });
    expect(result.assignments.map((a) => a.jurorId).sort()).toEqual(['j1', 'j2']);
  });

  test('reports entries that cannot get K jurors and why, and still assigns whom it can', () => {
    const input = {
      entries: entries(2, (i) => (i === 0 ? 'Вяземский' : 'Гагаринский')),
      jurors: jurors(3, (i) => (i === 0 ? 'Вяземский' : 'Сафоновский')),
      conflicts: [{ applicationId: 'e00', jurorId: 'j1' }],
      perEntry: 3,
      avoidOwnMunicipality: true,
    };
    const result = plan(input);
    expect(result.shortfalls).toEqual([
      expect.objectContaining({ applicationId: 'e00', have: 1, need: 3, conflicted: 1, sameMunicipality: 1 }),
    ]);
    expect(result.shortfalls[0].reason).toContain('Назначено 1 из 3');
    expect(result.shortfalls[0].reason).toContain('конфликт интересов у 1');
    expect(perEntry(result.assignments).get('e00')).toEqual(['j2']);
    expect(perEntry(result.assignments).get('e01')).toHaveLength(3);

    const tooFew = plan({ entries: entries(2), jurors: jurors(1), perEntry: 2 });
    expect(tooFew.shortfalls.map((s) => [s.applicationId, s.have])).toEqual([
      ['e00', 1],
      ['e01', 1],
    ]);
    expect(tooFew.shortfalls[0].reason).toContain('в жюри 1 чел.');
  });

  test('scarce jurors go to the entries that can only have them', () => {
    // e00 may only have j0 and j1 (conflicts with the rest); plain order would give j0/j1 to e01 first.
    const conflicts = ['j2', 'j3'].map((jurorId) => ({ applicationId: 'e01', jurorId }));
    const result = plan({ entries: entries(2), jurors: jurors(4), perEntry: 2, conflicts });
    expect(result.shortfalls).toEqual([]);
    expect(perEntry(result.assignments).get('e01')!.sort()).toEqual(['j0', 'j1']);
    expect(perEntry(result.assignments).get('e00')!.sort()).toEqual(['j2', 'j3']);
  });

  test('evens loads out even when picking entry by entry would not (conflicts and the municipality rule narrow the choice)', () => {
    // Taking the least loaded eligible juror entry by entry gives j3/j4 nothing and someone two: the chain of moves fixes it.
    const result = plan({
      entries: ['C', 'B', 'C', 'C', 'A', 'C'].map((municipality, i) => ({
        id: `e${i}`,
        nominationId: 'n1',
        municipality,
      })),
      jurors: [
        { id: 'j0', municipality: 'A' },
        { id: 'j1', municipality: null },
        { id: 'j2', municipality: 'A' },
        { id: 'j3', municipality: 'C' },
        { id: 'j4', municipality: 'C' },
      ],
      conflicts: [
        ['e0', 'j2'],
        ['e4', 'j0'],
        ['e4', 'j3'],
        ['e5', 'j2'],
      ].map(([applicationId, jurorId]) => ({ applicationId, jurorId })),
      perEntry: 1,
      avoidOwnMunicipality: true,
    });
    expect(result.shortfalls).toEqual([]);
    expect(result.assignments).toHaveLength(6);
    expect(spread(result.loads)).toBeLessThanOrEqual(1);
    for (const a of result.assignments) {
      expect(['e0|j2', 'e4|j0', 'e4|j3', 'e5|j2']).not.toContain(`${a.applicationId}|${a.jurorId}`);
      if (['e0', 'e2', 'e3', 'e5'].includes(a.applicationId)) expect(['j3', 'j4']).not.toContain(a.jurorId);
    }
  });
});
