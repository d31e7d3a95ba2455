import { describe, expect, test } from 'vitest';
import { passwordProblem } from '../../server/src/modules/auth/password-policy.ts';

describe('password policy (ASVS L2: length and common passwords, no character classes)', () => {
  test.each([
    ['11 characters', 'мой-пароль1'],
    ['a common password of 12 characters', 'qwerty123456'],
    ['another one, whatever the case', 'Password1234'],
    ['a Russian word typed on the Latin layout, in the list as gfhjkmgfhjkm', 'gfhjkmgfhjkm'],
    ['a common one typed on the Russian layout (йцукенгшщз12 is qwertyuiop12)', 'йцукенгшщз12'],
    ['one character over and over', 'аааааааааааааааа'],
    ['two characters in turn', '121212121212'],
  ])('refuses %s', (_name, password) => {
    const problem = passwordProblem(password);
    expect(problem).toMatch(/[а-яё]/i);
  });

  test('refuses the account’s own address and its name part', () => {
    expect(passwordProblem('maria.ivanova@mail.ru', { email: 'Maria.Ivanova@mail.ru' })).toContain('адрес');
    expect(passwordProblem('maria.ivanova', { email: 'maria.ivanova@mail.ru' })).toContain('адрес');
  });

  test.each([
    ['lower-case letters only, no digit, no capital', 'зелёный слон идёт домой'],
    ['twelve Latin letters', 'correcthorse'],
    ['digits only, when not a common sequence', '730914285561'],
    ['an emoji counts as one character', 'пароль с 🐘 внутри'],
  ])('accepts %s', (_name, password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  test('length is counted in characters, not UTF-16 units: eleven characters with an emoji are too short', () => {
    expect('🐘🐘🐘🐘🐘🐘🐘🐘🐘🐘а'.length).toBe(21);
    expect(passwordProblem('🐘🐘🐘🐘🐘🐘🐘🐘🐘🐘а')).toContain('12');
  });
});
