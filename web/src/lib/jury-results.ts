/** How places and numbers of the jury's results read on the pages. */
import { formatPoints } from './format';

export function placeText(place: number | null): string {
  return place === null ? 'без места' : `${place} место`;
}

/** 40.6666 → «40,67»; a missing score → «—». */
export function scoreText(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : formatPoints(x);
}

/** «Белова Елена Николаевна» → «Белова»: narrow column headers (the full name is in the title). */
export function surname(name: string): string {
  return name.split(' ')[0];
}

/** How an entry is named on the results page: its title, else the applicant, else (names hidden from the chair) its code. */
export function entryLabel(e: { title: string | null; applicant: string | null; registrationNumber: string | null }) {
  return e.title ?? e.applicant ?? e.registrationNumber ?? '—';
}
