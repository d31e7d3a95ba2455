import { describe, expect, test } from 'vitest';
import { declineName, genderOf } from '../../server/src/modules/certificates/names.ts';
import { fillPlaceholders, unknownPlaceholders } from '../../server/src/modules/certificates/templates.ts';

describe('declension of ФИО (petrovich)', () => {
  test('by the patronymic: the letter of thanks needs the dative', () => {
    expect(declineName({ lastName: 'Белова', firstName: 'Елена', middleName: 'Николаевна' })).toEqual({
      genitive: 'Беловой Елены Николаевны',
      dative: 'Беловой Елене Николаевне',
      accusative: 'Белову Елену Николаевну',
      instrumental: 'Беловой Еленой Николаевной',
      prepositional: 'Беловой Елене Николаевне',
    });
    expect(declineName({ lastName: 'Петров', firstName: 'Пётр', middleName: 'Петрович' }).dative).toBe(
      'Петрову Петру Петровичу',
    );
    expect(
      declineName({ lastName: 'Константинопольская-Щедрина', firstName: 'Анастасия', middleName: 'Владимировна' })
        .genitive,
    ).toBe('Константинопольской-Щедриной Анастасии Владимировны');
    // Surnames that do not decline stay as they are.
    expect(declineName({ lastName: 'Черных', firstName: 'Илья', middleName: 'Сергеевич' }).dative).toBe(
      'Черных Илье Сергеевичу',
    );
  });

  test("without a patronymic the gender is guessed from the endings, men's names in -а included", () => {
    expect(genderOf({ lastName: 'Ким', firstName: 'Никита', middleName: null })).toBe('male');
    expect(genderOf({ lastName: 'Гусь', firstName: 'Ольга', middleName: null })).toBe('female');
    expect(genderOf({ lastName: 'Смирнова', firstName: 'Саша', middleName: null })).toBe('female');
    expect(declineName({ lastName: 'Ким', firstName: 'Никита', middleName: null }).dative).toBe('Киму Никите');
  });
});

describe('placeholders', () => {
  test('the cases and the gendered words are known; a typo is not', () => {
    expect(
      unknownPlaceholders('{ФИО_дат} {ФИО_род} {принял(а)} {ученик(ца)} {школа} {класс} {организация} {город}'),
    ).toEqual([]);
    expect(unknownPlaceholders('{ФИО_дательный}')).toEqual(['ФИО_дательный']);
  });

  test('line breaks stay; an empty value leaves no stray quotes, commas or empty lines', () => {
    expect(
      fillPlaceholders('{ученик(ца)} {класс} класса, {школа},\nпобедитель олимпиады «{конкурс}»', {
        'ученик(ца)': 'ученица',
        класс: '10А',
        школа: 'Школа № 1',
        конкурс: 'Олимпиада',
      }),
    ).toBe('ученица 10А класса, Школа № 1,\nпобедитель олимпиады «Олимпиада»');
    expect(fillPlaceholders('в номинации «{номинация}»\n{школа}', {})).toBe('в номинации');
    expect(fillPlaceholders('{класс} класса, {школа}, участник', { класс: '9' })).toBe('9 класса, участник');
  });
});
