import { afterAll, beforeAll } from 'vitest';
import { buildTestApp, createUserInDb, signIn, uniqueIp, type App } from './app.ts';
import { createTestDb, type TestDb } from './db.ts';

export interface OrganizerSuite {
  t: TestDb;
  app: App;
  /** The organizer's session as a Cookie header value. */
  organizer: string;
  organizerId: string;
}

/**
 * The usual start of an API test file: its own database, the API on it and a signed-in organizer.
 * Registers the file's beforeAll and afterAll; `ready` receives the suite once it exists, so the file
 * keeps its own variables: `withOrganizer((s) => ({ t, app, organizer } = s));`.
 */
export function withOrganizer(ready: (suite: OrganizerSuite) => unknown): void {
  let t: TestDb | undefined;
  let app: App | undefined;
  beforeAll(async () => {
    t = await createTestDb();
    app = await buildTestApp(t.db);
    const user = await createUserInDb(t.db, { roles: ['organizer'] });
    const organizer = await signIn(app, user.email, user.password, { ip: uniqueIp() });
    await ready({ t, app, organizer, organizerId: user.id });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });
}
