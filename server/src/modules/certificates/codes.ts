import { randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O, U, so a code read aloud or retyped from paper is not mistaken.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable verification code: 80 random bits as 16 characters. */
export function newVerificationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** XXXX-XXXX-XXXX-XXXX, as printed. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** Reads a code as a person typed it: any case, with or without dashes and spaces, O for 0, I or L for 1. */
export function normalizeCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(code) ? code : null;
}

const PREFIX = {
  place1: 'Д',
  place2: 'Д',
  place3: 'Д',
  winner: 'Д',
  prize: 'Д',
  participant: 'С',
  juror_thanks: 'Б',
} as const;

/** Registry number such as Д-2026-000017: kind of document, year, running number. */
export function registryNumber(award: keyof typeof PREFIX, year: number, sequence: number): string {
  return `${PREFIX[award]}-${year}-${String(sequence).padStart(6, '0')}`;
}
