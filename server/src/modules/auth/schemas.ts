import { Type, type Static } from '@sinclair/typebox';
import { ROLES, type Role } from '@konkurs/db';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.ts';

export const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES], title: 'Роль' });

const Email = Type.String({ format: 'email', maxLength: 254, title: 'Электронная почта' });

export type EmailStatus = 'verified' | 'unverified' | 'unmailable';
const EmailStatusSchema = Type.Unsafe<EmailStatus>({
  type: 'string',
  enum: ['verified', 'unverified', 'unmailable'],
  title: 'Адрес подтверждён',
});

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    lastName: Type.String(),
    firstName: Type.String(),
    middleName: Type.Union([Type.String(), Type.Null()]),
    /** Фамилия Имя Отчество, ready to show. */
    fullName: Type.String(),
    roles: Type.Array(RoleSchema),
    /**
     * verified: the person opened a link mailed to the address; unverified: not yet (they may apply, not join a jury);
     * unmailable: an address no letter reaches (a student on a roster). Absent where the answer does not tell.
     */
    emailStatus: Type.Optional(EmailStatusSchema),
  },
  { $id: 'User', title: 'Пользователь' },
);
export type UserDto = Static<typeof UserSchema>;

export const MeResponse = Type.Object({ user: Type.Union([Type.Ref(UserSchema), Type.Null()]) });
export type MeResponse = Static<typeof MeResponse>;

export const RegisterBody = Type.Object({
  lastName: Type.String({ minLength: 1, maxLength: 100, title: 'Фамилия', pattern: '\\S' }),
  firstName: Type.String({ minLength: 1, maxLength: 100, title: 'Имя', pattern: '\\S' }),
  middleName: Type.Optional(Type.String({ maxLength: 100, title: 'Отчество' })),
  email: Email,
  password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, title: 'Пароль' }),
  consent: Type.Literal(true, { title: 'Согласие на обработку персональных данных' }),
  consentVersion: Type.String({ maxLength: 50, title: 'Версия текста согласия' }),
});
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 256, title: 'Пароль' }),
});
export type LoginBody = Static<typeof LoginBody>;

export const ConsentText = Type.Object({ version: Type.String(), text: Type.String() });
export type ConsentText = Static<typeof ConsentText>;

/** A new password's rules as the schema can say them; the rest (common passwords) is in password-policy.ts. */
const NewPassword = (title: string) =>
  Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, title });

export const PasswordResetRequestBody = Type.Object({ email: Email });
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

export const MessageResponse = Type.Object({ message: Type.String() });
export type MessageResponse = Static<typeof MessageResponse>;

export const AccountTokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 100, title: 'Ссылка из письма' }),
});

export const ResetLinkView = Type.Object({ expiresAt: Type.String({ format: 'date-time' }) });
export type ResetLinkView = Static<typeof ResetLinkView>;

export const PasswordResetBody = Type.Object({ password: NewPassword('Новый пароль') });
export type PasswordResetBody = Static<typeof PasswordResetBody>;

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, title: 'Текущий пароль' }),
  newPassword: NewPassword('Новый пароль'),
});
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const EmailConfirmed = Type.Object({ email: Type.String(), message: Type.String() });
export type EmailConfirmed = Static<typeof EmailConfirmed>;
