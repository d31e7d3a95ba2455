import { Type, type Static } from '@sinclair/typebox';
import { UserSchema } from '../../auth/schemas.ts';

const Iso = Type.String({ format: 'date-time' });

export const RegistrationSettingsBody = Type.Object(
  {
    selfRegistration: Type.Boolean({ title: 'Самостоятельная регистрация участников' }),
    schools: Type.Array(Type.String({ minLength: 1, maxLength: 300, title: 'Школа' }), {
      maxItems: 500,
      title: 'Список школ',
    }),
  },
  { additionalProperties: false },
);
export type RegistrationSettingsBody = Static<typeof RegistrationSettingsBody>;

export const RegistrationInfo = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    grades: Type.Array(Type.Integer()),
    windowStartAt: Iso,
    windowEndAt: Iso,
  }),
  /** False: registration is closed (the organizer has not enabled it, or the olympiad is over). */
  open: Type.Boolean(),
  selfRegistration: Type.Boolean(),
  schools: Type.Array(Type.String()),
  consent: Type.Object({ version: Type.String(), text: Type.String() }),
});
export type RegistrationInfo = Static<typeof RegistrationInfo>;

export const SelfRegistrationBody = Type.Object(
  {
    lastName: Type.String({ minLength: 1, maxLength: 100, title: 'Фамилия' }),
    firstName: Type.String({ minLength: 1, maxLength: 100, title: 'Имя' }),
    middleName: Type.Optional(Type.String({ maxLength: 100, title: 'Отчество' })),
    school: Type.String({ minLength: 1, maxLength: 300, title: 'Школа' }),
    grade: Type.Integer({ minimum: 1, maximum: 11, title: 'Класс (параллель)' }),
    className: Type.String({ maxLength: 10, title: 'Класс с буквой', examples: ['10А'] }),
    guardianName: Type.String({ minLength: 1, maxLength: 300, title: 'ФИО родителя или законного представителя' }),
    guardianConsent: Type.Boolean({ title: 'Согласие родителя (законного представителя)' }),
    consentVersion: Type.String({ maxLength: 40, title: 'Версия текста согласия' }),
  },
  { additionalProperties: false },
);
export type SelfRegistrationBody = Static<typeof SelfRegistrationBody>;

export const SelfRegistrationResult = Type.Object({
  user: Type.Ref(UserSchema),
  olympiadId: Type.String(),
  /** Shown once: the student writes it down to sign in again. */
  accessCode: Type.String(),
});
export type SelfRegistrationResult = Static<typeof SelfRegistrationResult>;
