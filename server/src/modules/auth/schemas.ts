import { Type, type Static } from '@sinclair/typebox';
import { ROLES, type Role } from '@konkurs/db';

export const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES], title: 'Роль' });

const Email = Type.String({ format: 'email', maxLength: 254, title: 'Электронная почта' });

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
  password: Type.String({ minLength: 10, maxLength: 256, title: 'Пароль' }),
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
