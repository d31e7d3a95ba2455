import type { EmailStatus, UserDto } from './schemas.ts';
import type { SessionUser } from './sessions.ts';

export function fullName(u: { lastName: string; firstName: string; middleName: string | null }): string {
  return [u.lastName, u.firstName, u.middleName].filter(Boolean).join(' ');
}

/** A student on a roster gets an address under .invalid (RFC 2606), which no letter can reach: nothing to confirm there. */
export function isMailable(email: string): boolean {
  return !email.endsWith('.invalid');
}

export function emailStatus(email: string, verified: boolean): EmailStatus {
  if (!isMailable(email)) return 'unmailable';
  return verified ? 'verified' : 'unverified';
}

/** The person as the API shows them; the address's status when the caller knows it. */
export function toUserDto(u: Omit<SessionUser, 'emailVerified'> & { emailVerified?: boolean }): UserDto {
  const dto: UserDto = {
    id: u.id,
    email: u.email,
    lastName: u.lastName,
    firstName: u.firstName,
    middleName: u.middleName,
    fullName: fullName(u),
    roles: u.roles,
  };
  if (u.emailVerified !== undefined) dto.emailStatus = emailStatus(u.email, u.emailVerified);
  return dto;
}
