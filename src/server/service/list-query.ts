// What list queries share: opaque cursors (the last id of a page) and timestamp filters.
import { DomainError } from './errors.js';

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, idPattern: RegExp): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!idPattern.test(id)) throw DomainError.invalidInput('cursor is not one this server issued', 'cursor');
  return id;
}

export function parseTimestamp(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw DomainError.invalidInput(`${field} is not a valid timestamp`, field);
  return ms;
}
