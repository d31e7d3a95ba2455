import { Type, type Static } from '@sinclair/typebox';

export const AwardSchema = Type.Unsafe<import('@konkurs/db').AwardKind>({
  type: 'string',
  enum: ['place1', 'place2', 'place3', 'winner', 'prize', 'participant', 'juror_thanks'],
  title: 'Вид награды',
});

export const CertificateSummary = Type.Object({
  id: Type.String(),
  registryNumber: Type.String(),
  award: AwardSchema,
  awardLabel: Type.String(),
  recipientName: Type.String(),
  eventTitle: Type.String(),
  issuedOn: Type.String(),
  revoked: Type.Boolean(),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
});
export type CertificateSummary = Static<typeof CertificateSummary>;

export const VerificationResult = Type.Object({
  status: Type.Union([Type.Literal('valid'), Type.Literal('revoked')]),
  registryNumber: Type.String(),
  code: Type.String(),
  awardLabel: Type.String(),
  title: Type.String(),
  subtitle: Type.String(),
  recipientName: Type.String(),
  eventTitle: Type.String(),
  issuedOn: Type.String(),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
});
export type VerificationResult = Static<typeof VerificationResult>;

export const EventQuery = Type.Object({
  contestId: Type.Optional(Type.String({ format: 'uuid', title: 'Конкурс' })),
  olympiadId: Type.Optional(Type.String({ format: 'uuid', title: 'Олимпиада' })),
});

const Text = (title: string, maxLength: number) => Type.String({ maxLength, title });
export const TemplateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 100, title: 'Заголовок' }),
  subtitle: Text('Подзаголовок', 100),
  lead: Text('Вводные слова', 100),
  body: Type.String({ minLength: 1, maxLength: 1000, title: 'Текст' }),
  orientation: Type.Unsafe<'landscape' | 'portrait'>({ type: 'string', enum: ['landscape', 'portrait'], title: 'Ориентация' }),
  place: Text('Место выдачи', 100),
  signatories: Type.Array(
    Type.Object({ position: Type.String({ minLength: 1, maxLength: 150, title: 'Должность' }), name: Type.String({ minLength: 1, maxLength: 100, title: 'Подписант' }) }),
    { maxItems: 3, title: 'Подписи' },
  ),
});
export type TemplateBody = Static<typeof TemplateBody>;

export const TemplateResponse = Type.Intersect([
  TemplateBody,
  Type.Object({ award: AwardSchema, awardLabel: Type.String(), custom: Type.Boolean() }),
]);
export type TemplateResponse = Static<typeof TemplateResponse>;

export const IssueResult = Type.Object({
  awards: Type.Array(Type.Object({ award: AwardSchema, awardLabel: Type.String(), issued: Type.Integer(), alreadyIssued: Type.Integer() })),
  issued: Type.Integer({ description: 'Выдано сейчас' }),
  alreadyIssued: Type.Integer({ description: 'Было выдано раньше' }),
});

export const IssuingStateSchema = Type.Object({
  resultsPublished: Type.Boolean(),
  awards: Type.Array(Type.Object({ award: AwardSchema, awardLabel: Type.String(), entitled: Type.Integer(), issued: Type.Integer() })),
});

export type IssueResult = Static<typeof IssueResult>;
export type IssuingState = Static<typeof IssuingStateSchema>;

export const KindParams = Type.Object({
  kind: Type.Unsafe<import('@konkurs/db').CertificateImageKind>({ type: 'string', enum: ['logo', 'signature'], title: 'Изображение (logo — логотип, signature — подпись первого подписанта)' }),
});
export const ImagesResponse = Type.Object({
  images: Type.Array(Type.Object({
    kind: KindParams.properties.kind, label: Type.String(), fileId: Type.String(), name: Type.String(), mimeType: Type.String(), size: Type.Integer(),
  })),
});

export type CertificateImages = Static<typeof ImagesResponse>;
