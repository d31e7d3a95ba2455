import { sql, type Db, type Signatory } from '@konkurs/db';
import { recordAudit } from '../audit/service.ts';

/**
 * The organisation that issues the documents: its name (printed at the top of each), its city (where the documents
 * are issued) and who signs them. Entered once; every default template prints them, so that a new or copied contest
 * or olympiad issues documents a Russian organisation would sign without editing each template.
 */
export interface Organisation {
  name: string;
  city: string;
  signatories: Signatory[];
}

export const EMPTY_ORGANISATION: Organisation = { name: '', city: '', signatories: [] };

export async function getOrganisation(db: Db): Promise<Organisation> {
  const row = await db
    .selectFrom('certificate_organisation')
    .select(['name', 'city', 'signatories'])
    .executeTakeFirst();
  return row ? { name: row.name, city: row.city, signatories: row.signatories } : { ...EMPTY_ORGANISATION };
}

export async function saveOrganisation(
  db: Db,
  input: Organisation,
  actor: { id: string; ip: string },
): Promise<Organisation> {
  const values = {
    name: input.name.trim(),
    city: input.city.trim(),
    signatories: JSON.stringify(
      input.signatories
        .map((s) => ({ position: s.position.trim(), name: s.name.trim() }))
        .filter((s) => s.position || s.name),
    ),
  };
  await db.transaction().execute(async (trx) => {
    const before = await getOrganisation(trx);
    await trx
      .insertInto('certificate_organisation')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'certificates.organisation_update',
      entity: 'certificate_organisation',
      entityId: null,
      before,
      after: { ...values, signatories: JSON.parse(values.signatories) },
      ip: actor.ip,
    });
  });
  return getOrganisation(db);
}

/** What the issuing page warns about: a default template left without these prints an unsigned document. */
export function missingDetails(o: Organisation): string[] {
  const missing: string[] = [];
  if (!o.name) missing.push('название организации');
  if (!o.city) missing.push('город');
  if (o.signatories.length === 0) missing.push('подписант');
  return missing;
}
