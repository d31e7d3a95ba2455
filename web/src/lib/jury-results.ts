/** How places and numbers of the jury's results read on the pages. */

export function placeText(place: number | null): string {
  return place === null ? 'без места' : `${place} место`;
}

/** 40.6666 → «40,67». */
export function scoreText(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : String(Math.round(x * 100) / 100).replace('.', ',');
}

/** «Белова Елена Николаевна» → «Белова»: narrow column headers (the full name is in the title). */
export function surname(name: string): string {
  return name.split(' ')[0];
}
