// Records ↔ rows: the field tables (../fields.ts) with one dialect's encodings, prepared once per store.
import { AUDIT_FIELDS, DELIVERY_FIELDS, IDEMPOTENCY_FIELDS, POLICY_FIELDS, SCOPE_FIELDS, SESSION_FIELDS, TOKEN_FIELDS, WEBHOOK_FIELDS, type Field } from '../fields.js';
import type { AuditRecord, DeliveryRecord, IdempotencyRecord, PolicyRecord, ScopeRecord, SessionRecord, TokenRecord, WebhookRecord } from '../types.js';
import type { Codec, Dialect, Row } from './driver.js';

/** Every column of the table, values bound in field order (RecordColumns.values). */
export const insertSql = (table: string, fields: readonly Field<any>[]) =>
  `INSERT INTO ${table} (${fields.map((f) => f.column).join(', ')}) VALUES (${fields.map(() => '?').join(', ')})`;

/** Inserts the record, or replaces every other column of the row with its key (the first field). */
export const upsertSql = (table: string, fields: readonly Field<any>[]) => {
  const [key, ...rest] = fields;
  return `${insertSql(table, fields)}
  ON CONFLICT (${key!.column}) DO UPDATE SET ${rest.map((f) => `${f.column} = excluded.${f.column}`).join(', ')}`;
};

export class RecordColumns<R> {
  private readonly columns: readonly string[];
  private readonly keys: readonly (keyof R & string)[];
  private readonly codecs: readonly Codec[];

  constructor(fields: readonly Field<R>[], dialect: Dialect) {
    this.columns = fields.map((f) => f.column);
    this.keys = fields.map((f) => f.key);
    this.codecs = fields.map((f) => dialect.codecs[f.kind]);
  }

  /** The record's values in field order, encoded for the driver. */
  values(record: R): unknown[] {
    return this.keys.map((key, i) => {
      const value = record[key];
      return value === null ? null : this.codecs[i]!.encode(value);
    });
  }

  fromRow(row: Row): R {
    const record = {} as Record<string, unknown>;
    for (let i = 0; i < this.keys.length; i++) {
      const value = row[this.columns[i]!];
      record[this.keys[i]!] = value === null || value === undefined ? null : this.codecs[i]!.decode(value);
    }
    return record as R;
  }
}

/** Every table the core reads and writes, as one dialect encodes it. */
export interface Tables {
  readonly dialect: Dialect;
  readonly tokens: RecordColumns<TokenRecord>;
  readonly audit: RecordColumns<AuditRecord>;
  readonly scopes: RecordColumns<ScopeRecord>;
  readonly policies: RecordColumns<PolicyRecord>;
  readonly idempotency: RecordColumns<IdempotencyRecord>;
  readonly webhooks: RecordColumns<WebhookRecord>;
  readonly deliveries: RecordColumns<DeliveryRecord>;
  readonly sessions: RecordColumns<SessionRecord>;
}

export function tablesFor(dialect: Dialect): Tables {
  return {
    dialect,
    tokens: new RecordColumns(TOKEN_FIELDS, dialect),
    audit: new RecordColumns(AUDIT_FIELDS, dialect),
    scopes: new RecordColumns(SCOPE_FIELDS, dialect),
    policies: new RecordColumns(POLICY_FIELDS, dialect),
    idempotency: new RecordColumns(IDEMPOTENCY_FIELDS, dialect),
    webhooks: new RecordColumns(WEBHOOK_FIELDS, dialect),
    deliveries: new RecordColumns(DELIVERY_FIELDS, dialect),
    sessions: new RecordColumns(SESSION_FIELDS, dialect),
  };
}
