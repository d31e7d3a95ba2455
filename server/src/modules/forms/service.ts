import type { Db } from '@konkurs/db';
import { recordAudit } from '../audit/service.ts';
import type { FormField } from './definition.ts';
import type { FormDefinition } from './schemas.ts';

type FormRow = { id: string; version: number; nomination_id: string | null; fields: unknown; created_at: Date };

export const toFormDto = (f: FormRow): FormDefinition => ({
  id: f.id,
  version: f.version,
  nominationId: f.nomination_id,
  fields: f.fields as FormField[],
  createdAt: f.created_at.toISOString(),
});

/** The latest version of the nomination's own form, or else of the contest-wide form. */
export async function currentForm(
  db: Db,
  contestId: string,
  nominationId: string | null,
): Promise<FormRow | undefined> {
  const base = db
    .selectFrom('application_forms')
    .select(['id', 'version', 'nomination_id', 'fields', 'created_at'])
    .where('contest_id', '=', contestId);
  if (nominationId) {
    const own = await base
      .where('nomination_id', '=', nominationId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (own) return own;
  }
  return base.where('nomination_id', 'is', null).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Adds a new version; earlier versions stay, so existing applications keep the form they were made with. */
export async function addFormVersion(
  db: Db,
  contestId: string,
  nominationId: string | null,
  fields: FormField[],
  actorId: string | null,
): Promise<FormRow> {
  let q = db
    .selectFrom('application_forms')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('contest_id', '=', contestId);
  q = nominationId ? q.where('nomination_id', '=', nominationId) : q.where('nomination_id', 'is', null);
  const last = await q.executeTakeFirst();
  return db
    .insertInto('application_forms')
    .values({
      contest_id: contestId,
      nomination_id: nominationId,
      version: Number(last?.v ?? 0) + 1,
      fields: JSON.stringify(fields),
      created_by: actorId,
    })
    .returning(['id', 'version', 'nomination_id', 'fields', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A form that every new contest starts with; the organizer changes it without code. */
export function defaultFormFields(): FormField[] {
  return [
    {
      key: 'phone',
      kind: 'phone',
      label: 'Контактный телефон',
      help: 'Например, +7 900 123-45-67.',
      required: true,
      personal: true,
    },
    {
      key: 'about',
      kind: 'textarea',
      label: 'О себе и своей работе',
      required: true,
      personal: false,
      maxLength: 3000,
    },
    {
      key: 'documents',
      kind: 'file',
      label: 'Фотографии и документы',
      required: false,
      personal: false,
      accept: ['image', 'pdf'],
      maxSizeMb: 10,
      maxFiles: 5,
    },
    {
      key: 'consent',
      kind: 'consent',
      label: 'Согласие на обработку персональных данных',
      required: true,
      personal: false,
      consentText:
        'Я даю согласие организатору конкурса на обработку моих персональных данных, указанных в заявке, в целях участия в конкурсе, оценки заявки и публикации итогов в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».',
    },
  ];
}

/** The organizer saves a form: a new version, with the one before and the new one in the audit log. */
export async function saveFormVersion(
  db: Db,
  contestId: string,
  nominationId: string | null,
  fields: FormField[],
  actor: { id: string; ip: string },
): Promise<FormRow> {
  return db.transaction().execute(async (trx) => {
    const before = await currentForm(trx, contestId, nominationId);
    const created = await addFormVersion(trx, contestId, nominationId, fields, actor.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'contest.form.save',
      entity: 'application_form',
      entityId: created.id,
      before: before ? { id: before.id, version: before.version, fields: before.fields } : null,
      after: { version: created.version, nominationId, fields },
      ip: actor.ip,
    });
    return created;
  });
}
