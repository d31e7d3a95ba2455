import { AsyncLocalStorage } from 'node:async_hooks';

/** Whether the request being served put a letter to send in the outbox. */
export interface MailDue {
  due: boolean;
}

export const dueInRequest = new AsyncLocalStorage<MailDue>();

/**
 * Called by enqueueMails: the request being served has queued a letter, so the mailer is woken once it has answered.
 * Outside a request (no caller does that today) the letter goes at the next round, MAIL_ROUND_MS later at most.
 */
export function markMailDue(): void {
  const state = dueInRequest.getStore();
  if (state) state.due = true;
}
