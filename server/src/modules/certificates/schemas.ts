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
  /** The document issued in place of this one. */
  replacedBy: Type.Union([Type.String(), Type.Null()]),
});
export type CertificateSummary = Static<typeof CertificateSummary>;

export const VerificationResult = Type.Object({
  status: Type.Union(
    [Type.Literal('valid'), Type.Literal('revoked'), Type.Literal('replaced'), Type.Literal('under_review')],
    {
      description:
        'valid — действителен; revoked — отозван; replaced — заменён новым; under_review — итоги мероприятия пересматриваются',
    },
  ),
  registryNumber: Type.String(),
  code: Type.String(),
  awardLabel: Type.String(),
  title: Type.String(),
  subtitle: Type.String(),
  recipientName: Type.String(),
  eventTitle: Type.String(),
  issuer: Type.String(),
  issuedOn: Type.String(),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
  /** When the replacement was issued (ДД.ММ.ГГГГ); its number and code stay with its holder. */
  replacedOn: Type.Union([Type.String(), Type.Null()]),
});
export type VerificationResult = Static<typeof VerificationResult>;

export const EventQuery = Type.Object({
  contestId: Type.Optional(Type.String({ format: 'uuid', title: 'Конкурс' })),
  olympiadId: Type.Optional(Type.String({ format: 'uuid', title: 'Олимпиада' })),
});
/** Templates and images may also be the organisation's own (used by every event without its own). */
export const ScopeQuery = Type.Object({
  ...EventQuery.properties,
  organisation: Type.Optional(Type.Boolean({ title: 'Шаблоны и изображения организации (для всех мероприятий)' })),
});

const Text = (title: string, maxLength: number) => Type.String({ maxLength, title });
const Signatories = Type.Array(
  Type.Object({
    position: Type.String({ minLength: 1, maxLength: 150, title: 'Должность' }),
    name: Type.String({ minLength: 1, maxLength: 100, title: 'Подписант' }),
  }),
  { maxItems: 3, title: 'Подписи' },
);
export const TemplateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 100, title: 'Заголовок' }),
  subtitle: Text('Подзаголовок', 100),
  lead: Text('Вводные слова', 100),
  recipient: Type.Optional(Type.String({ minLength: 1, maxLength: 100, title: 'Строка с именем получателя' })),
  body: Type.String({ minLength: 1, maxLength: 1000, title: 'Текст' }),
  orientation: Type.Unsafe<'landscape' | 'portrait'>({
    type: 'string',
    enum: ['landscape', 'portrait'],
    title: 'Ориентация',
  }),
  place: Text('Место выдачи', 100),
  signatories: Signatories,
});
export type TemplateBody = Static<typeof TemplateBody>;

export const TemplateResponse = Type.Intersect([
  Type.Omit(TemplateBody, ['recipient']),
  Type.Object({
    recipient: Type.String(),
    award: AwardSchema,
    awardLabel: Type.String(),
    custom: Type.Boolean(),
    source: Type.Union([Type.Literal('event'), Type.Literal('organisation'), Type.Literal('default')], {
      description: 'чей это шаблон: мероприятия, организации или встроенный',
    }),
  }),
]);
export type TemplateResponse = Static<typeof TemplateResponse>;

export const OrganisationSchema = Type.Object({
  name: Text('Название организации', 300),
  city: Text('Город', 100),
  signatories: Signatories,
});
export type OrganisationDetails = Static<typeof OrganisationSchema>;

export const IssueQuery = Type.Object({
  plan: Type.Optional(
    Type.String({ maxLength: 64, title: 'Просмотренный план (planId): выдача откажет, если он изменился' }),
  ),
});

export const IssueResult = Type.Object({
  awards: Type.Array(
    Type.Object({
      award: AwardSchema,
      awardLabel: Type.String(),
      issued: Type.Integer(),
      alreadyIssued: Type.Integer(),
      revoked: Type.Integer(),
    }),
  ),
  issued: Type.Integer({ description: 'Выдано сейчас' }),
  alreadyIssued: Type.Integer({ description: 'Было выдано раньше' }),
  revoked: Type.Integer({ description: 'Отозвано сейчас (итоги изменены)' }),
});

const Forms = Type.Object({
  genitive: Type.String({ minLength: 1, maxLength: 200, title: 'Родительный падеж' }),
  dative: Type.String({ minLength: 1, maxLength: 200, title: 'Дательный падеж' }),
  accusative: Type.String({ minLength: 1, maxLength: 200, title: 'Винительный падеж' }),
  instrumental: Type.String({ minLength: 1, maxLength: 200, title: 'Творительный падеж' }),
  prepositional: Type.String({ minLength: 1, maxLength: 200, title: 'Предложный падеж' }),
});
export const NameFormsBody = Type.Object({
  recipientKey: Type.String({ minLength: 1, maxLength: 100, title: 'Получатель' }),
  forms: Type.Union([Forms, Type.Null()], { description: 'null — склонять автоматически' }),
});

export const IssuingStateSchema = Type.Object({
  resultsPublished: Type.Boolean(),
  inLine: Type.Boolean({ description: 'Выданные документы совпадают с итогами' }),
  planId: Type.String(),
  missingDetails: Type.Array(Type.String(), { description: 'Чего не хватает в реквизитах организации' }),
  awards: Type.Array(
    Type.Object({
      award: AwardSchema,
      awardLabel: Type.String(),
      entitled: Type.Integer(),
      issued: Type.Integer({ description: 'Действующих' }),
      revoked: Type.Integer(),
      toIssue: Type.Array(
        Type.Object({
          recipientKey: Type.String(),
          recipientName: Type.String(),
          forms: Forms,
          corrected: Type.Boolean(),
          replaces: Type.Union([Type.Object({ id: Type.String(), registryNumber: Type.String() }), Type.Null()]),
        }),
      ),
      toRevoke: Type.Array(
        Type.Object({
          id: Type.String(),
          registryNumber: Type.String(),
          recipientKey: Type.String(),
          recipientName: Type.String(),
        }),
      ),
    }),
  ),
});

export type IssueResult = Static<typeof IssueResult>;
export type IssuingState = Static<typeof IssuingStateSchema>;

export const KindParams = Type.Object({
  kind: Type.Unsafe<import('@konkurs/db').CertificateImageKind>({
    type: 'string',
    enum: ['logo', 'signature'],
    title: 'Изображение (logo — логотип, signature — подпись первого подписанта)',
  }),
});
export const ImagesResponse = Type.Object({
  images: Type.Array(
    Type.Object({
      kind: KindParams.properties.kind,
      label: Type.String(),
      fileId: Type.String(),
      name: Type.String(),
      mimeType: Type.String(),
      size: Type.Integer(),
      inherited: Type.Boolean({ description: 'изображение организации: у мероприятия своего нет' }),
    }),
  ),
});

export type CertificateImages = Static<typeof ImagesResponse>;
