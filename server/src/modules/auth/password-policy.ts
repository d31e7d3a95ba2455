import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * What a new password must be (OWASP ASVS 4.0 level 2, §2.1): at least 12 characters, at most 256, any characters,
 * spaces included, and not one of the passwords tried first. No rule demands digits, capitals or signs (§2.1.9):
 * such rules make passwords harder to remember, not to guess.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The common-passwords list of zxcvbn-ts (about 49 000 passwords from public leaks, kept by the zxcvbn-ts project).
 * It already holds Russian words typed on the Latin layout (gfhjkm — «пароль»).
 */
const COMMON = new Set<string>(dictionary['passwords-common']);

// ЙЦУКЕН keys to the QWERTY keys they sit on: «йцукенгшщз12» is qwertyuiop12, one of the most common passwords.
const RU = 'йцукенгшщзхъфывапролджэячсмитьбю.ё';
const EN = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`";
const ON_LATIN_KEYS = new Map([...RU].map((ch, i) => [ch, EN[i]]));

function typedOnLatinKeys(password: string): string {
  return [...password].map((ch) => ON_LATIN_KEYS.get(ch) ?? ch).join('');
}

/** The length as a person counts it: characters, not UTF-16 units (an emoji is one). */
export function passwordLength(password: string): number {
  return [...password].length;
}

/**
 * Why this password may not be used, in Russian, or null when it may. The length is checked by the route's schema
 * as well; this check repeats it so the rule holds wherever a password is set.
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (passwordLength(password) < PASSWORD_MIN_LENGTH)
    return `Пароль должен содержать не меньше ${PASSWORD_MIN_LENGTH} символов.`;
  if (passwordLength(password) > PASSWORD_MAX_LENGTH)
    return `Пароль должен содержать не больше ${PASSWORD_MAX_LENGTH} символов.`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(typedOnLatinKeys(lower))) {
    return 'Этот пароль слишком распространён: такие подбирают первыми. Придумайте другой, например из трёх-четырёх слов.';
  }
  if (new Set(lower).size < 4) return 'Пароль из нескольких повторяющихся символов легко подобрать. Придумайте другой.';
  const email = context.email?.toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0]))
    return 'Пароль не должен совпадать с адресом электронной почты.';
  return null;
}
