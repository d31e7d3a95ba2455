import type { UserDto } from './schemas.ts';
import type { SessionUser } from './sessions.ts';

export function fullName(u: { lastName: string; firstName: string; middleName: string | null }): string {
  return [u.lastName, u.firstName, u.middleName].filter(Boolean).join(' ');
}

export function toUserDto(u: SessionUser): UserDto {
  return { id: u.id, email: u.email, lastName: u.lastName, firstName: u.firstName, middleName: u.middleName, fullName: fullName(u), roles: u.roles };
}
