// The one renderer. Commands return data (a list, a record, a message or a text document); this
// decides how it looks: a table on a terminal (colour, relative times), TSV with full values
// otherwise, --json with schema_version, -q ids only, --field one value.
import type { IO } from './io.js';
import { relativeTime } from '../shared/time-words.js';
import { UsageError } from '../cli/errors.js';
import { visibleWidth, type Palette } from './style.js';
import { SCHEMA_VERSION } from '../shared/wire-constants.js';

type Value = string | number | boolean | null | undefined | readonly string[] | Readonly<Record<string, unknown>>;

export interface Field<T> {
  /** TSV/record key, and the --field name when it is also a JSON key. */
  key: string;
  /** Column header or label on a terminal. */
  label: string;
  value(item: T): Value;
  /** time: relative on a terminal, ISO otherwise; clock: "2027-03-01 14:00" (UTC) on a terminal, ISO otherwise; status: coloured. */
  kind?: 'text' | 'time' | 'clock' | 'status';
  /** Shown on a terminal when the value is null/empty ("never", "-"). */
  empty?: string;
  /** May be cut to fit the terminal width. */
  flexible?: boolean;
}

export interface ListResult<T> {
  type: 'list';
  items: T[];
  columns: Field<T>[];
  json(item: T): Record<string, unknown>;
  id(item: T): string;
  /** Said on stderr when there is nothing to list. */
  empty: string;
  /** More top-level JSON fields beside `data` (e.g. a bulk report's summary). */
  meta?: Record<string, unknown>;
  /** Lines for people above the table on a terminal (a title, a chart); not in TSV or JSON. */
  banner?: string[];
}

export interface SecretReveal {
  value: string;
  /** For people: what the secret belongs to. */
  subject: string;
}

export interface RecordResult<T> {
  type: 'record';
  item: T;
  fields: Field<T>[];
  json: Record<string, unknown>;
  id: string;
  /** One line for people on a terminal, e.g. "✓ Revoked token ci-deploy". */
  headline?: string;
  /** A secret shown once: in a box on a terminal, alone on stdout otherwise, a field in --json. */
  secret?: SecretReveal;
  /** Extra lines for people (stderr when stdout is not a terminal). */
  notes?: string[];
}

export interface MessageResult {
  type: 'message';
  text: string;
  json: Record<string, unknown>;
  id?: string;
}

/** A document printed as is: a completion script, an export. */
interface TextResult {
  type: 'text';
  text: string;
}

export type CommandResult = (ListResult<any> | RecordResult<any> | MessageResult | TextResult) & { exitCode?: number };

export type OutputMode = 'table' | 'tsv' | 'json';

interface RenderOptions {
  mode: OutputMode;
  quiet: boolean;
  field?: string;
  now: number;
}

const STATUS_COLOR: Record<string, keyof Palette> = { active: 'green', suspended: 'yellow', revoked: 'red', expired: 'dim' };

function isEmpty(value: Value): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

/** Full value as one line: lists comma-joined, maps as k=v, tabs and newlines escaped for TSV. */
function plain(value: Value): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(',');
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n');
}

function human<T>(field: Field<T>, item: T, p: Palette, now: number): string {
  const value = field.value(item);
  if (isEmpty(value)) return p.dim(field.empty ?? '-');
  if (field.kind === 'time' && typeof value === 'string') return relativeTime(value, now);
  if (field.kind === 'clock' && typeof value === 'string') return value.slice(0, 16).replace('T', ' ');
  if (field.kind === 'status' && typeof value === 'string') {
    const color = STATUS_COLOR[value];
    return color ? (p[color] as (s: string) => string)(value) : value;
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  return String(value).replace(/\r?\n/g, ' ');
}

function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  // Colour codes are only on whole cells (status, dim "-"), which are never flexible.
  return `${[...text].slice(0, Math.max(1, width - 1)).join('')}…`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

function table<T>(result: ListResult<T>, io: IO, now: number): string {
  const p = io.out;
  const cells = result.items.map((item) => result.columns.map((c) => human(c, item, p, now)));
  const headers = result.columns.map((c) => c.label.toUpperCase());
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...cells.map((row) => visibleWidth(row[i]!))));
  const gap = 2;
  let total = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  // Too wide for the terminal: shrink the flexible columns, widest first, down to 12 characters.
  while (total > io.columns) {
    let widest = -1;
    result.columns.forEach((c, i) => {
      if (c.flexible && widths[i]! > 12 && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    const cut = Math.min(total - io.columns, widths[widest]! - 12);
    widths[widest]! -= cut;
    total -= cut;
  }
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? truncate(cell, widths[i]!) : pad(truncate(cell, widths[i]!), widths[i]!)))
      .join(' '.repeat(gap))
      .trimEnd();
  return [p.bold(line(headers)), ...cells.map(line)].join('\n') + '\n';
}

function secretBox(secret: SecretReveal, p: Palette): string {
  const inner = secret.value.length + 4;
  return [
    '',
    `  ┌${'─'.repeat(inner)}┐`,
    `  │  ${p.bold(p.green(secret.value))}  │`,
    `  └${'─'.repeat(inner)}┘`,
    `  ${p.yellow('!')} This is the secret for ${secret.subject}. Copy it now: it cannot be shown again.`,
    '',
  ].join('\n');
}

function recordLines<T>(result: RecordResult<T>, io: IO, now: number): string {
  const p = io.out;
  const width = Math.max(...result.fields.map((f) => f.label.length));
  const lines = result.fields.map((f) => `${p.dim(pad(f.label, width))}  ${human(f, result.item, p, now)}`);
  return lines.join('\n') + '\n';
}

function pickField(json: Record<string, unknown>, name: string, available: string[]): string {
  let value: unknown = json;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !(part in (value as object))) {
      throw new UsageError(`--field ${name}: no such field`, `fields: ${available.join(', ')}`);
    }
    value = (value as Record<string, unknown>)[part];
  }
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A leading ✓ in green. */
function tick(text: string, p: Palette): string {
  return text.replace(/^✓/, p.green('✓'));
}

function withSchema(json: Record<string, unknown>): string {
  return `${JSON.stringify({ schema_version: SCHEMA_VERSION, ...json }, null, 2)}\n`;
}

export function render(result: CommandResult, io: IO, opts: RenderOptions): void {
  const out = (text: string): void => {
    io.stdout.write(text);
  };
  if (result.type === 'text') {
    out(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    return;
  }

  if (result.type === 'list') {
    if (opts.field) {
      const keys = result.items.length ? Object.keys(result.json(result.items[0])) : [];
      for (const item of result.items) out(`${pickField(result.json(item), opts.field, keys)}\n`);
      return;
    }
    if (opts.mode === 'json') return out(withSchema({ data: result.items.map((i) => result.json(i)), ...result.meta }));
    if (opts.quiet) {
      for (const item of result.items) out(`${result.id(item)}\n`);
      return;
    }
    if (!result.items.length) {
      if (opts.mode === 'table') io.info(result.empty);
      return;
    }
    if (opts.mode === 'table') {
      for (const line of result.banner ?? []) out(`${line}\n`);
      return out(table(result, io, opts.now));
    }
    for (const item of result.items) out(`${result.columns.map((c) => plain(c.value(item))).join('\t')}\n`);
    return;
  }

  const json = result.type === 'record' && result.secret ? { ...result.json, secret: result.secret.value } : result.json;
  if (opts.field) return out(`${pickField(json, opts.field, Object.keys(json))}\n`);
  if (opts.mode === 'json') return out(withSchema(json));

  if (result.type === 'message') {
    if (opts.quiet) {
      if (result.id) out(`${result.id}\n`);
      return;
    }
    // A message is for people: stdout on a terminal, stderr when stdout is kept for results.
    if (opts.mode === 'table') out(`${tick(result.text, io.out)}\n`);
    else io.info(result.text);
    return;
  }

  const secret = result.secret;
  if (opts.quiet) {
    // -q prints ids; a secret that cannot be shown again wins over the id.
    out(`${secret ? secret.value : result.id}\n`);
    return;
  }
  if (opts.mode === 'table') {
    if (result.headline) out(`${tick(result.headline, io.out)}\n\n`);
    out(recordLines(result, io, opts.now));
    for (const note of result.notes ?? []) out(`${note}\n`);
    if (secret) out(secretBox(secret, io.out));
    return;
  }
  if (secret) {
    // Piped: the secret alone on stdout, ready for the next command; the rest for people on stderr.
    if (result.headline) io.info(result.headline);
    for (const note of result.notes ?? []) io.info(note);
    io.info(`The secret for ${secret.subject} is on stdout; it cannot be shown again.`);
    out(`${secret.value}\n`);
    return;
  }
  for (const f of result.fields) out(`${f.key}\t${plain(f.value(result.item))}\n`);
  for (const note of result.notes ?? []) io.info(note);
}
