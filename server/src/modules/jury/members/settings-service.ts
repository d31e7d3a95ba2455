import type { Db } from '@konkurs/db';
import { AppError } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import type { Actor } from '../../contests/service.ts';
import { findContest } from '../../contests/service.ts';
import type { FormField } from '../../forms/definition.ts';
import { currentForm } from '../../forms/service.ts';
import { currentCriteriaKeys } from '../rubrics/rubric-service.ts';
import type { JurySettings, JurySettingsResponse } from './setup-schemas.ts';

type ContestRow = Awaited<ReturnType<typeof findContest>>;

export function settingsOf(row: ContestRow): JurySettings {
  return {
    method: row.jury_method,
    tieBreakers: row.jury_tie_breakers,
    places: row.jury_places,
    blind: row.jury_blind,
    perEntry: row.jury_per_entry,
    avoidOwnMunicipality: row.jury_avoid_own_municipality,
    municipalityField: row.jury_municipality_field,
    showScores: row.jury_show_scores,
    disagreementShare: row.jury_disagreement_share,
  };
}

async function formFields(db: Db, contestId: string): Promise<FormField[]> {
  const form = await currentForm(db, contestId, null);
  return (form?.fields as FormField[] | undefined) ?? [];
}

export async function getJurySettings(db: Db, contestId: string): Promise<JurySettingsResponse> {
  const row = await findContest(db, { id: contestId }, { includeArchived: true });
  const [criteria, fields] = await Promise.all([currentCriteriaKeys(db, contestId), formFields(db, contestId)]);
  return {
    settings: settingsOf(row),
    resultsPublished: row.results_published_at !== null,
    criteria,
    formFields: fields
      .filter((f) => f.kind !== 'file' && f.kind !== 'consent')
      .map((f) => ({ key: f.key, label: f.label })),
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Saves the settings whole. After publication the method, the places and the tie-breakers are frozen: they made the results. */
export async function saveJurySettings(
  db: Db,
  contestId: string,
  body: JurySettings,
  actor: Actor,
): Promise<JurySettings> {
  const row = await findContest(db, { id: contestId }, { includeArchived: true });
  const before = settingsOf(row);
  const fields: Record<string, string> = {};

  const known = new Map((await currentCriteriaKeys(db, contestId)).map((c) => [c.key, c.title]));
  const seen = new Set<string>();
  body.tieBreakers.forEach((key, i) => {
    if (!known.has(key)) fields[`tieBreakers.${i}`] = `Критерия «${key}» нет в критериях оценки конкурса.`;
    else if (seen.has(key)) fields[`tieBreakers.${i}`] = `Критерий «${known.get(key)}» указан дважды.`;
    seen.add(key);
  });
  const municipalityField = body.municipalityField?.trim() || null;
  if (municipalityField) {
    const field = (await formFields(db, contestId)).find((f) => f.key === municipalityField);
    if (!field) fields.municipalityField = `Поля «${municipalityField}» нет в текущей форме заявки конкурса.`;
  }
  if (body.avoidOwnMunicipality && !municipalityField) {
    fields.municipalityField =
      'Укажите поле формы, в котором заявитель называет муниципалитет: без него правило «не назначать заявки своего муниципалитета» не работает.';
  }
  if (Object.keys(fields).length)
    throw new AppError('validation', `Проверьте настройки жюри. ${Object.values(fields)[0]}`, fields);

  if (row.results_published_at) {
    const frozen: Record<string, string> = {};
    if (body.method !== before.method) frozen.method = 'Способ подсчёта нельзя изменить: итоги уже опубликованы.';
    if (body.places !== before.places) frozen.places = 'Число призовых мест нельзя изменить: итоги уже опубликованы.';
    if (!sameList(body.tieBreakers, before.tieBreakers))
      frozen.tieBreakers = 'Критерии для равных баллов нельзя изменить: итоги уже опубликованы.';
    if (Object.keys(frozen).length) {
      throw new AppError(
        'results_published',
        `Итоги конкурса уже опубликованы: способ подсчёта, число мест и критерии для равных баллов изменить нельзя. ${Object.values(frozen)[0]}`,
        frozen,
      );
    }
  }

  const after: JurySettings = { ...body, municipalityField };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('contests')
      .set({
        jury_method: after.method,
        jury_tie_breakers: JSON.stringify(after.tieBreakers),
        jury_places: after.places,
        jury_blind: after.blind,
        jury_per_entry: after.perEntry,
        jury_avoid_own_municipality: after.avoidOwnMunicipality,
        jury_municipality_field: after.municipalityField,
        jury_show_scores: after.showScores,
        jury_disagreement_share: after.disagreementShare,
      })
      .where('id', '=', contestId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.settings',
      entity: 'contest',
      entityId: contestId,
      before,
      after,
      ip: actor.ip,
    });
  });
  return after;
}
