import { Type, type Static } from '@sinclair/typebox';
import { FIELD_KINDS, FILE_TYPE_GROUPS, MAX_FILE_SIZE_MB, MAX_TEXT_LENGTH } from './definition.ts';

export const FormFieldSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', title: 'Код поля', examples: ['phone'] }),
    kind: Type.Unsafe<(typeof FIELD_KINDS)[number]>({ type: 'string', enum: [...FIELD_KINDS], title: 'Тип поля' }),
    label: Type.String({ minLength: 1, maxLength: 300, title: 'Название поля' }),
    help: Type.Optional(Type.String({ maxLength: 1000, title: 'Подсказка' })),
    required: Type.Boolean({ title: 'Обязательное' }),
    personal: Type.Boolean({ title: 'Персональные данные' }),
    maxLength: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_TEXT_LENGTH, title: 'Наибольшее число символов' }),
    ),
    min: Type.Optional(Type.Number({ title: 'Наименьшее значение' })),
    max: Type.Optional(Type.Number({ title: 'Наибольшее значение' })),
    integer: Type.Optional(Type.Boolean({ title: 'Только целые числа' })),
    notFuture: Type.Optional(Type.Boolean({ title: 'Не позже сегодняшнего дня' })),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 300, title: 'Вариант' }), { maxItems: 500, title: 'Варианты' }),
    ),
    maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, title: 'Наибольшее число вариантов' })),
    accept: Type.Optional(
      Type.Array(Type.Unsafe<keyof typeof FILE_TYPE_GROUPS>({ type: 'string', enum: Object.keys(FILE_TYPE_GROUPS) }), {
        maxItems: 4,
        uniqueItems: true,
        title: 'Типы файлов',
      }),
    ),
    maxSizeMb: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: MAX_FILE_SIZE_MB, title: 'Размер одного файла, МБ' }),
    ),
    maxFiles: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, title: 'Число файлов' })),
    consentText: Type.Optional(Type.String({ maxLength: 5000, title: 'Текст согласия' })),
  },
  { additionalProperties: false },
);

export const FormDefinition = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  nominationId: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(FormFieldSchema),
  createdAt: Type.String({ format: 'date-time' }),
});
export type FormDefinition = Static<typeof FormDefinition>;

export const FormBody = Type.Object({
  nominationId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { title: 'Номинация' }),
  fields: Type.Array(FormFieldSchema, { minItems: 1, maxItems: 100, title: 'Поля формы' }),
});
export type FormBody = Static<typeof FormBody>;
