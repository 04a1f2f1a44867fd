// `tokens import FILE`: restore a backup written by `tokens export` — tokens (with their secrets when
// the file has the digests), the scope catalog and the policies — reporting each item.
import { readFileSync } from 'node:fs';
import { defineCommand } from '../cli/define.js';
import { CliError, EXIT, UsageError } from '../cli/errors.js';
import { argument } from '../cli/options.js';
import { DRY_RUN } from '../cli/shared-options.js';
import type { ImportReport } from '../api/client.js';
import type { Field, ListResult } from '../terminal/output.js';

type Row = ImportReport['results'][number];

const COLUMNS: Field<Row>[] = [
  { key: 'kind', label: 'Kind', value: (r) => r.kind },
  { key: 'id', label: 'ID', value: (r) => r.id },
  { key: 'name', label: 'Name', value: (r) => r.name, flexible: true },
  { key: 'result', label: 'Result', value: (r) => r.result },
  { key: 'detail', label: 'Detail', value: (r) => r.detail, flexible: true },
];
/** New webhook signing secrets, last so they are easy to cut. */
const SECRET_COLUMN: Field<Row> = { key: 'secret', label: 'Secret', value: (r) => r.secret ?? null };

async function readDocument(file: string, readStdin: () => Promise<string>): Promise<string> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new CliError(`cannot read ${file === '-' ? 'standard input' : file}: ${reason}`, EXIT.error, file === '-' ? 'give the path of the file instead' : undefined);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file === '-' ? 'standard input' : file} is not JSON: ${(err as Error).message}`, 'give a file written by "tokens export"');
  }
  return text;
}

export default defineCommand({
  name: 'import',
  summary: 'Restore a backup written by "tokens export": tokens, scope catalog, policies, webhooks',
  description:
    'Restores an export into the server: custom scopes, policies, webhooks and tokens (ids, names, owners,\n' +
    'links and usage kept; revoked tokens stay revoked). From a file made with --include-hashes every secret\n' +
    'works again (the server needs the same pepper); from one without, tokens come back with no working secret\n' +
    'and must be reissued ("tokens rotate <token>"). A restored webhook gets a new signing secret, shown once in\n' +
    'the report. Importing twice changes nothing; a token the server has in a newer version is skipped. A file\n' +
    'with a bad field is refused whole, naming the field; items the server cannot take (a live name another\n' +
    'token holds) are refused one by one and the rest restored — exit 3. --dry-run reports and changes nothing.\n' +
    'FILE may be "-" (standard input, up to 4 MiB). Needs management.',
  arguments: { file: argument('the export file, or - for standard input', { completes: 'files' }) },
  options: { dryRun: DRY_RUN },
  examples: ['tokens import tokens-backup.json --dry-run', 'tokens import tokens-backup.json', 'tokens export --include-hashes | tokens --profile new import -'],
  async run(opts, ctx) {
    const document = await readDocument(opts.file, () => ctx.io.readStdin());
    const report = await (await ctx.api()).import(document, { dryRun: opts.dryRun });
    const { created, updated, skipped, refused } = report.summary;
    const line = `${created} created, ${updated} updated, ${skipped} skipped, ${refused} refused${report.dry_run ? ' (dry run: nothing changed)' : ''}`;
    if (refused) ctx.io.warn(line);
    else ctx.io.info(line);
    if (report.notice) ctx.io.warn(report.notice);
    const secrets = report.results.some((r) => r.secret);
    if (secrets) ctx.io.warn('restored webhooks have new signing secrets, in the last column: give them to their receivers; they cannot be shown again');
    const result: ListResult<Row> & { exitCode: number } = {
      type: 'list',
      items: report.results,
      columns: secrets ? [...COLUMNS, SECRET_COLUMN] : COLUMNS,
      json: (r) => ({ ...r }),
      id: (r) => r.id,
      empty: 'The file holds nothing to import.',
      meta: { summary: report.summary, dry_run: report.dry_run, include_hashes: report.include_hashes, notice: report.notice },
      exitCode: refused ? EXIT.partial : EXIT.ok,
    };
    return result;
  },
});
