import { randomInt } from 'node:crypto';

/**
 * Personal access codes and шифры. A code is 10 characters from an alphabet without look-alikes (no 0/O, 1/I),
 * about 50 bits: guessing one is hopeless even without the sign-in throttle. Codes are kept readable in the
 * database because the organizer prints the slips again whenever a school asks; they open only a student
 * account of one olympiad.
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A new code, printed as XXXXX-XXXXX. */
export function newAccessCode(): string {
  const raw = randomFrom(ALPHABET, CODE_LENGTH);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Cyrillic letters that look like Latin ones: a student with a Russian keyboard layout types these. */
const LOOKALIKES: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
};

/** A code as typed (any case, spaces or dashes, Cyrillic look-alikes) in its stored form XXXXX-XXXXX, or null. */
export function normalizeAccessCode(input: string): string | null {
  const raw = input
    .toUpperCase()
    .replace(/[АВЕКМНРСТХУ]/g, (c) => LOOKALIKES[c] ?? c)
    .replace(/[\s\-–—_.]/g, '');
  if (raw.length !== CODE_LENGTH || [...raw].some((c) => !ALPHABET.includes(c))) return null;
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** A шифр for blind grading, e.g. "4821-КТ": unique within the olympiad (the caller retries on a clash). */
export function newCipher(): string {
  return `${randomInt(1000, 10000)}-${randomFrom('АБВГДЕЖКЛМНПРСТ', 2)}`;
}
