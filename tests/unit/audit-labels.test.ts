import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DecisionBody } from '../../server/src/modules/applications/schemas.ts';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, auditActionLabel } from '../../server/src/modules/audit/labels.ts';
import { AUDIT_AREA_PREFIXES } from '../../server/src/modules/audit/schemas.ts';

const SERVER_SRC = fileURLToPath(new URL('../../server/src/', import.meta.url));

/** What `action:` is set to in the server's code: 'a.b' literals (both sides of a ternary too) and `prefix.${…}` templates. */
function recordedActions(): { literals: Set<string>; templates: string[] } {
  const literals = new Set<string>();
  const templates: string[] = [];
  for (const file of readdirSync(SERVER_SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(SERVER_SRC, file), 'utf8');
    for (const [, expression] of source.matchAll(/\baction:\s*([^,\n]+)/g)) {
      for (const [, action] of expression.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) literals.add(action);
      for (const [, prefix] of expression.matchAll(/`([a-z_.]+)\$\{/g)) templates.push(prefix);
    }
  }
  return { literals, templates };
}

const { literals, templates } = recordedActions();
const decisions = DecisionBody.properties.action.anyOf.map((s) => `application.${s.const}`);
/** Written once by a migration (db/src/migrations/0013_registration_numbers.ts), shown in the log like the rest. */
const byMigrations = ['application.renumber'];
const allActions = [...literals, ...decisions, ...byMigrations];

describe('audit action labels', () => {
  test('the server code is read: the known actions are found', () => {
    expect(literals.size).toBeGreaterThan(50);
    for (const known of [
      'user.roles.set',
      'application.submit',
      'jury.results.publish',
      'olympiad.attempt.deadline',
      'contest.unarchive',
      'olympiad.grade.decide',
    ]) {
      expect(literals, known).toContain(known);
    }
    expect(decisions).toEqual(['application.accept', 'application.return', 'application.reject']);
  });

  test('the only action built from a template is the organizer’s decision on an application', () => {
    expect(templates).toEqual(['application.']);
  });

  test('every recorded action has a Russian label', () => {
    const missing = allActions.filter((a) => !Object.hasOwn(AUDIT_ACTION_LABELS, a));
    expect(missing, 'actions without a label in server/src/modules/audit/labels.ts').toEqual([]);
    for (const action of allActions) expect(auditActionLabel(action), action).toMatch(/^[А-ЯЁ][а-яёА-ЯЁ ,():«»-]+$/);
  });

  test('no label is kept for an action the server no longer records', () => {
    expect(Object.keys(AUDIT_ACTION_LABELS).filter((a) => !allActions.includes(a))).toEqual([]);
  });

  test('every action belongs to exactly one area of the log filter', () => {
    for (const action of allActions) {
      const areas = Object.entries(AUDIT_AREA_PREFIXES).filter(([, prefixes]) =>
        prefixes.some((p) => action.startsWith(p)),
      );
      expect(
        areas.map(([area]) => area),
        action,
      ).toHaveLength(1);
    }
  });

  test('an unknown action shows its code', () => {
    expect(auditActionLabel('something.new')).toBe('something.new');
    expect(auditActionLabel('user.roles.set')).toBe('Роли пользователя изменены');
  });

  test('every kind of object the server records has a Russian name, and no name is left over', () => {
    const entities = new Set<string>();
    for (const file of readdirSync(SERVER_SRC, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    )) {
      for (const [, entity] of readFileSync(join(SERVER_SRC, file), 'utf8').matchAll(/\bentity:\s*'([a-z_]+)'/g))
        entities.add(entity);
    }
    expect(entities.size).toBeGreaterThan(10);
    expect([...entities].filter((e) => !Object.hasOwn(AUDIT_ENTITY_LABELS, e))).toEqual([]);
    expect(Object.keys(AUDIT_ENTITY_LABELS).filter((e) => !entities.has(e))).toEqual([]);
  });
});
