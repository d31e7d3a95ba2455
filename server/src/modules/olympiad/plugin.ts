import fp from 'fastify-plugin';
import { connectionErrorReason, isConnectionError, type Db } from '@konkurs/db';
import type { CookieSettings } from '../auth/plugin.ts';
import { olympiadAccessRoutes } from './access/access-routes.ts';
import { closeExpiredAttempts } from './attempts/attempt-service.ts';
import { olympiadAttemptRoutes } from './attempts/attempt-routes.ts';
import { olympiadGradingRoutes } from './grading/grading-routes.ts';
import { olympiadParticipantRoutes } from './participants/participant-routes.ts';
import { olympiadResultRoutes } from './results/results-routes.ts';
import { olympiadTaskRoutes } from './tasks/task-routes.ts';
import { olympiadAppealRoutes } from './appeals/appeal-routes.ts';
import { olympiadAccessSlipRoutes } from './access/access-slip-routes.ts';
import { olympiadRegistrationRoutes } from './registration/registration-routes.ts';
import { olympiadRoutes } from './olympiad-routes.ts';
import { olympiadKeyCorrectionRoutes } from './results/key-correction-routes.ts';
import { olympiadWorkReviewRoutes } from './review/work-review-routes.ts';
import { NO_MAIL, type OlympiadMail } from './mail.ts';

/** How often the sweep closes attempts whose deadline passed while nobody was looking. */
export const SWEEP_INTERVAL_MS = 15_000;

/** The olympiad: creating and editing it, tasks, participants, access codes, attempts; and the sweep that closes expired attempts. */
export const olympiadPlugin = fp<{ db: Db; cookie: CookieSettings; mail?: OlympiadMail; now: () => Date }>(
  async (app, { db, cookie, mail = NO_MAIL, now }) => {
    await app.register(olympiadRoutes, { db, now });
    await app.register(olympiadTaskRoutes, { db });
    await app.register(olympiadKeyCorrectionRoutes, { db, mail });
    await app.register(olympiadWorkReviewRoutes, { db });
    await app.register(olympiadParticipantRoutes, { db });
    await app.register(olympiadAccessRoutes, { db, cookie });
    await app.register(olympiadAttemptRoutes, { db });
    await app.register(olympiadResultRoutes, { db, mail });
    await app.register(olympiadGradingRoutes, { db, now });
    await app.register(olympiadAppealRoutes, { db, mail });
    await app.register(olympiadAccessSlipRoutes, { db, publicUrl: mail.publicUrl });
    await app.register(olympiadRegistrationRoutes, { db, cookie });

    // The sweep keeps no state: every process may run it; each attempt is closed once, under its row lock.
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        if (running) return;
        running = true;
        closeExpiredAttempts(db)
          // The database may be restarting: this round is lost, the next one (SWEEP_INTERVAL_MS later) closes what is due.
          .catch((error) =>
            isConnectionError(error)
              ? app.log.warn(
                  { reason: connectionErrorReason(error) },
                  'closing expired attempts: database unavailable, next round retries',
                )
              : app.log.error({ err: error }, 'closing expired attempts failed'),
          )
          .finally(() => (running = false));
      }, SWEEP_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
);
