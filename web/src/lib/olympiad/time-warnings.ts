/**
 * The warnings as the time runs out: one at 5 minutes left and one at 1 minute, each announced once. A page opened with
 * less than 5 minutes left shows only the warning that applies; an extension starts the count again.
 */
export type WarningStage = 5 | 1;

export const WARNINGS: Record<WarningStage, string> = {
  5: 'Осталось меньше 5 минут. Ответы сохраняются сами; проверьте, что ответили на все задания.',
  1: 'Осталось меньше минуты. Когда время выйдет, работа завершится сама: сохранённые ответы будут переданы на проверку.',
};

/** The warning that applies with this much time left (none before 5 minutes, none once the time is up). */
export function warningStage(remainingMs: number): WarningStage | null {
  if (!Number.isFinite(remainingMs) || remainingMs <= 0) return null;
  if (remainingMs <= 60_000) return 1;
  if (remainingMs <= 5 * 60_000) return 5;
  return null;
}

/** Whether `stage` is a warning not given yet (the 1-minute one follows the 5-minute one, never the other way). */
export function isNewWarning(stage: WarningStage | null, given: WarningStage | null): stage is WarningStage {
  return stage !== null && (given === null || stage < given);
}
