import { afterEach, expect, test, vi } from 'vitest';
import {
  markMailDue,
  onMailDue,
  OPEN_REQUEST_LIMIT_MS,
  requestAnswered,
  requestBegun,
} from '../../server/src/modules/mail/due.ts';

// When the mailer is woken for letters a request queued (server/src/modules/mail/due.ts).

afterEach(() => vi.useRealTimers());

test('letters queued by a request go once it and every older request have answered, not before', () => {
  const wake = vi.fn();
  const forget = onMailDue(wake);
  const queuing = requestBegun();
  markMailDue();
  const later = requestBegun();
  requestAnswered(later);
  expect(wake).not.toHaveBeenCalled();
  requestAnswered(queuing);
  expect(wake).toHaveBeenCalledTimes(1);
  // Nothing more queued: further answers wake nothing.
  requestAnswered(requestBegun());
  expect(wake).toHaveBeenCalledTimes(1);
  forget();
});

test('a request left open too long no longer holds the letters back', () => {
  vi.useFakeTimers();
  const wake = vi.fn();
  const forget = onMailDue(wake);
  requestBegun(); // its response never finishes
  const queuing = requestBegun();
  markMailDue();
  requestAnswered(queuing);
  expect(wake).not.toHaveBeenCalled();
  vi.advanceTimersByTime(OPEN_REQUEST_LIMIT_MS + 1);
  requestAnswered(requestBegun());
  expect(wake).toHaveBeenCalledTimes(1);
  forget();
});
