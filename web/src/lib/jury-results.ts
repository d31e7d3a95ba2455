/** How places and numbers of the jury's results read on the pages. */

/** A medal for the first three places; it only decorates the text, which says the place in words. */
export const MEDALS: Record<number, string> = { 1: '🥇', 2: '🥈', 3: '🥉' };

export function placeText(place: number | null): string {
  return place === null ? 'без места' : `${place} место`;
}

/** 40.6666 → «40,67». */
export function scoreText(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : String(Math.round(x * 100) / 100).replace('.', ',');
}

/** «Белова Елена Николаевна» → «Белова Е. Н.»: narrow column headers. */
export function shortName(name: string): string {
  const [last, ...rest] = name.split(' ');
  return [last, ...rest.map((p) => `${p[0]}.`)].join(' ');
}
