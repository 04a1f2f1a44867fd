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

/** A cursor for a listing in some other order than by id: the order, the last row's value in it, and its id. */
export function encodeKeysetCursor(order: string, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([order, value, id]), 'utf8').toString('base64url');
}

export function decodeKeysetCursor(cursor: string, order: string, idPattern: RegExp): { value: string | number; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const [givenOrder, value, id] = Array.isArray(parsed) ? parsed : [];
  if (givenOrder !== order || (typeof value !== 'string' && typeof value !== 'number') || typeof id !== 'string' || !idPattern.test(id)) {
    throw DomainError.invalidInput('cursor is not one this server issued for this sort', 'cursor');
  }
  return { value, id };
}

export function parseTimestamp(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw DomainError.invalidInput(`${field} is not a valid timestamp`, field);
  return ms;
}
