// Filters → WHERE conditions, for both engines: each condition is SQL text with `?` placeholders
// whose values are collected, in order, by the Params it is built with.
import type { TokenStatus } from '../../../shared/wire-constants.js';
import { NEVER_EXPIRES, type AuditFilter, type TokenFilter, type TokenOrder } from '../types.js';
import type { Dialect } from './driver.js';

export class Params {
  readonly values: unknown[] = [];

  /** Binds a value; returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return '?';
  }

  /** `(?, ?, …)` for a list of values, as in `x IN (…)`. */
  list(values: readonly unknown[]): string {
    return `(${values.map((v) => this.add(v)).join(', ')})`;
  }
}

/** A token that is neither revoked nor expired at `now` (bound). Expiry is never stored as a status. */
const notExpired = (now: string) => `(expires_at IS NULL OR expires_at > ${now})`;
export const live = (now: string) => `status <> 'revoked' AND ${notExpired(now)}`;

function statusCondition(status: TokenStatus, p: Params, now: number): string {
  switch (status) {
    case 'revoked':
      return "status = 'revoked'";
    case 'expired':
      return `status <> 'revoked' AND expires_at IS NOT NULL AND expires_at <= ${p.add(now)}`;
    default:
      return `status = '${status}' AND ${notExpired(p.add(now))}`;
  }
}

function escapeLike(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const startsWith = (column: string, prefix: string, p: Params) => `${column} LIKE ${p.add(`${escapeLike(prefix)}%`)} ESCAPE '\\'`;

/** Each listing order as an expression that is never NULL, so that keyset pages can continue from a value. */
const ORDER_EXPRESSIONS: Record<TokenOrder['by'], string> = {
  id: 'id',
  name: 'name',
  // The same expression as the index tokens_expiry_order (migration 3).
  expires_at: `COALESCE(expires_at, ${NEVER_EXPIRES})`,
  last_used_at: 'COALESCE(last_used_at, 0)',
};

/** ORDER BY of a token listing: the order's expression, then id, both in its direction. */
export function tokenOrderBy(order: TokenOrder = { by: 'id', descending: false }): string {
  const direction = order.descending ? 'DESC' : 'ASC';
  return order.by === 'id' ? `id ${direction}` : `${ORDER_EXPRESSIONS[order.by]} ${direction}, id ${direction}`;
}

/** The conditions of a token listing (all must hold), in the order tokenOrderBy gives it. */
export function tokenConditions(f: TokenFilter, p: Params, dialect: Dialect): string[] {
  const where: string[] = [];
  if (f.statuses?.length) where.push(`(${f.statuses.map((s) => `(${statusCondition(s, p, f.now)})`).join(' OR ')})`);
  if (f.scope !== undefined) where.push(dialect.scopeHeld(p.add(f.scope)));
  if (f.name !== undefined) where.push(`name = ${p.add(f.name)}`);
  if (f.namePrefix !== undefined) where.push(startsWith('name', f.namePrefix, p));
  if (f.startPrefix !== undefined) where.push(startsWith('start', f.startPrefix, p));
  if (f.expiresBefore !== undefined) where.push(`expires_at IS NOT NULL AND expires_at < ${p.add(f.expiresBefore)}`);
  if (f.unusedSince !== undefined) where.push(`COALESCE(last_used_at, created_at) < ${p.add(f.unusedSince)}`);
  if (f.createdBefore !== undefined) where.push(`created_at < ${p.add(f.createdBefore)}`);
  if (f.owner !== undefined) where.push(`owner = ${p.add(f.owner)}`);
  if (f.createdBy !== undefined) where.push(`created_by = ${p.add(f.createdBy)}`);
  if (f.afterId !== undefined) {
    const { by, descending } = f.order ?? { by: 'id', descending: false };
    const after = descending ? '<' : '>';
    if (by === 'id') where.push(`id ${after} ${p.add(f.afterId)}`);
    else {
      const expr = ORDER_EXPRESSIONS[by];
      where.push(`(${expr} ${after} ${p.add(f.afterValue)} OR (${expr} = ${p.add(f.afterValue)} AND id ${after} ${p.add(f.afterId)}))`);
    }
  }
  return where;
}

/** The conditions of an audit listing; the listing orders by id, newest first if asked. */
export function auditConditions(f: AuditFilter, p: Params): string[] {
  const where: string[] = [];
  if (f.target !== undefined) where.push(`target = ${p.add(f.target)}`);
  if (f.actor !== undefined) where.push(`actor = ${p.add(f.actor)}`);
  if (f.action !== undefined) where.push(`action = ${p.add(f.action)}`);
  if (f.since !== undefined) where.push(`at >= ${p.add(f.since)}`);
  if (f.until !== undefined) where.push(`at < ${p.add(f.until)}`);
  if (f.afterId !== undefined) where.push(`id ${f.newestFirst ? '<' : '>'} ${p.add(f.afterId)}`);
  return where;
}

export const whereClause = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
