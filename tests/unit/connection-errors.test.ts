import { describe, expect, test } from 'vitest';
import { connectionErrorReason, isConnectionError, isUniqueViolation } from '@konkurs/db';
import { markConnectionError } from '../../db/src/connection-errors.ts';

/** Which failures the API answers with 503 «База данных недоступна…» (and the saver repeats), and which it does not. */
const socketError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('connection errors', () => {
  test('a lost or refused connection to PostgreSQL', () => {
    expect(isConnectionError(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isConnectionError(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isConnectionError(pgError('08006', 'connection failure'))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isConnectionError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    // A socket error counts when it came from the database's connection (connect.ts marks those).
    expect(isConnectionError(markConnectionError(socketError('ECONNREFUSED')))).toBe(true);
    expect(isConnectionError(markConnectionError(new AggregateError([socketError('ECONNREFUSED')], '')))).toBe(true);
  });

  test("not the database being away: refused statements, and other servers' sockets (SMTP, S3)", () => {
    expect(isConnectionError(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isConnectionError(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe(false);
    expect(isConnectionError(pgError('40001', 'could not serialize access'))).toBe(false);
    expect(isConnectionError(socketError('ECONNREFUSED'))).toBe(false);
    expect(isConnectionError(new Error('boom'))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });

  test('the reason says what happened, in Russian, with the technical code', () => {
    expect(connectionErrorReason(markConnectionError(socketError('ECONNREFUSED')))).toBe(
      'сервер PostgreSQL не принимает соединения (ECONNREFUSED)',
    );
    expect(connectionErrorReason(pgError('57P01', 'terminating connection due to administrator command'))).toMatch(
      /перезапускается.*\(57P01\)$/,
    );
    expect(connectionErrorReason(new Error('Connection terminated unexpectedly'))).toBe(
      'соединение с сервером PostgreSQL прервано',
    );
  });
});

describe('isUniqueViolation', () => {
  test('is a broken unique constraint (23505), and nothing else', () => {
    expect(isUniqueViolation(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('null value'), { code: '23502' }))).toBe(false);
    expect(isUniqueViolation(new Error('duplicate key value'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
