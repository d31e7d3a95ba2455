import { describe, expect, test } from 'vitest';
import { isNewWarning, warningStage, type WarningStage } from '../../web/src/lib/olympiad/time-warnings.ts';

/** The warnings a page gives while its clock ticks once a second through `remaining` (ms), as the attempt page does. */
function warningsGiven(fromMs: number, toMs: number, given: WarningStage | null = null): WarningStage[] {
  const said: WarningStage[] = [];
  for (let remaining = fromMs; remaining >= toMs; remaining -= 1000) {
    const stage = warningStage(remaining);
    if (isNewWarning(stage, given)) {
      given = stage;
      said.push(stage);
    }
  }
  return said;
}

describe('warnings as the time runs out', () => {
  test('a page open from the start warns at 5 minutes and at 1 minute, once each, and not after the time', () => {
    expect(warningsGiven(90 * 60_000, -30_000)).toEqual([5, 1]);
  });

  test('a page opened with less than 5 minutes left gives the warnings that apply only', () => {
    expect(warningsGiven(3 * 60_000, 0)).toEqual([5, 1]);
    expect(warningsGiven(40_000, 0)).toEqual([1]);
    expect(warningsGiven(0, -10_000)).toEqual([]);
  });

  test('after an extension the count starts again from the time left', () => {
    // At 1 minute left the time is extended by 3 minutes: the page notes the 5-minute step as given, then warns at 1.
    expect(warningsGiven(4 * 60_000, 0, warningStage(4 * 60_000))).toEqual([1]);
    expect(warningsGiven(20 * 60_000, 0, warningStage(20 * 60_000))).toEqual([5, 1]);
  });
});
