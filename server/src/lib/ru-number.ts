/** Numbers in Russian text. */

/** Two decimals at most, with a decimal comma: 0.5 → «0,5», 40.6666 → «40,67». */
export function ruNumber(x: number): string {
  return String(Math.round(x * 100) / 100).replace('.', ',');
}

/** The word after a number of points: «0 баллов», «1 балл», «2 балла», «0,5 балла». */
export function pointsWord(x: number): string {
  const r = Math.round(x * 100) / 100;
  if (!Number.isInteger(r)) return 'балла';
  const n = Math.abs(r) % 100;
  if (n % 10 === 1 && n !== 11) return 'балл';
  if (n % 10 >= 2 && n % 10 <= 4 && (n < 12 || n > 14)) return 'балла';
  return 'баллов';
}
