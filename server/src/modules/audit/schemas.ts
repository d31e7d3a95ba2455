import { Type, type Static } from '@sinclair/typebox';

/** The areas the log is filtered by, each with the prefixes of its actions. */
export const AUDIT_AREA_PREFIXES = {
  applications: ['application.'],
  contests: ['contest.'],
  jury: ['jury.'],
  olympiad: ['olympiad.'],
  // Every certificate action: certificate., certificates., certificate_image., certificate_template. …
  certificates: ['certificate'],
  users: ['user.'],
} as const satisfies Record<string, readonly string[]>;
export type AuditArea = keyof typeof AUDIT_AREA_PREFIXES;
export const AuditAreaSchema = Type.Unsafe<AuditArea>({
  type: 'string',
  enum: Object.keys(AUDIT_AREA_PREFIXES),
  title: 'Раздел',
});

export const AuditLogEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  /** Who did it; null for the server itself (e.g. an attempt closed at its deadline). */
  actor: Type.Union([
    Type.Object({ id: Type.String({ format: 'uuid' }), fullName: Type.String(), email: Type.String() }),
    Type.Null(),
  ]),
  action: Type.String(),
  actionLabel: Type.String(),
  entity: Type.String(),
  entityLabel: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Type.Union([Type.String(), Type.Null()]),
});
export const AuditLogResponse = Type.Object({
  entries: Type.Array(AuditLogEntry),
  /** The `before` of the next, older page; null when there is none. */
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditLogEntry = Static<typeof AuditLogEntry>;
export type AuditLogResponse = Static<typeof AuditLogResponse>;
