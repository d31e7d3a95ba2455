/** Words of the juror's pages. */
import type { EntryState } from '@konkurs/server/api-types';

export const ENTRY_STATE_LABELS: Record<EntryState, string> = {
  not_started: 'не начато',
  draft: 'черновик',
  submitted: 'отправлено',
  conflict: 'конфликт интересов',
};

/** «оценено 2 из 3» */
export function progressText(p: { submitted: number; total: number }): string {
  return `оценено ${p.submitted} из ${p.total}`;
}
