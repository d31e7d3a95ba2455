import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUserInDb, signIn, uniqueIp } from '../helpers/app.ts';
import {
  buildApplicationsApp,
  closedContestWith,
  publishContestResults,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { moscowDate } from '../../server/src/lib/moscow.ts';

// One clock (README, «One clock»): what the server decides with or shows as when something was done comes from the
// injected `now`, which this file moves three days ahead; before, these places read the machine's own clock.

const DAY = 864e5;
let t: TestDb;
let h: ApplicationsTestApp;
let organizer: string;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  h.clock.set(new Date(Date.now() + 3 * DAY));
  const user = await createUserInDb(t.db, { roles: ['organizer'] });
  organizer = await signIn(h.app, user.email, user.password, { ip: uniqueIp() });
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

describe('the injected clock', () => {
  test('dates a certificate, its revocation and a contest put into the archive', async () => {
    const { contestId, nominationId, entries } = await closedContestWith(t.db, h.app, [['Белова', 'Елена', null]]);
    const contest = { id: contestId };
    const nomination = { id: nominationId };
    const application = { id: entries[0].applicationId };
    await publishContestResults(t.db, contest.id, [
      { applicationId: application.id, nominationId: nomination.id, place: 1 },
    ]);

    const issued = await h.app.inject({
      method: 'POST',
      url: `/api/contests/${contest.id}/certificates/issue`,
      headers: { cookie: organizer },
    });
    expect(issued.statusCode, issued.body).toBe(200);
    const diploma = await t.db
      .selectFrom('certificates')
      .select(['id', 'issued_on'])
      .where('contest_id', '=', contest.id)
      .where('award', '=', 'place1')
      .executeTakeFirstOrThrow();
    const summary = await h.app.inject({
      method: 'POST',
      url: `/api/certificates/${diploma.id}/revoke`,
      headers: { cookie: organizer },
      payload: { reason: 'Ошибка в имени' },
    });
    expect(summary.statusCode, summary.body).toBe(200);
    // The date printed on the document is the server's day, not the machine's.
    expect(summary.json().issuedOn).toBe(moscowDate(h.clock.now()));
    const revoked = await t.db
      .selectFrom('certificates')
      .select('revoked_at')
      .where('id', '=', diploma.id)
      .executeTakeFirstOrThrow();
    expect(revoked.revoked_at).toEqual(h.clock.now());

    const archived = await h.app.inject({
      method: 'POST',
      url: `/api/contests/${contest.id}/archive`,
      headers: { cookie: organizer },
      payload: { archived: true },
    });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().contest.archivedAt).toBe(h.clock.now().toISOString());
  });
});
