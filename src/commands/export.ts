// `tokens export`: all token metadata and the scope catalog as one JSON document (never secrets).
import { defineCommand } from '../cli/define.js';
import { text } from '../cli/options.js';
import type { CommandResult } from '../terminal/output.js';
import { writePrivateFile } from '../credentials/private-file.js';

export default defineCommand({
  name: 'export',
  summary: 'Export all token metadata and the scope catalog as JSON (never secrets)',
  description:
    'Prints (or writes to --output, mode 0600) one JSON document with schema_version, every token\'s metadata\n' +
    'and the scope catalog. It never contains a secret. Needs the management scope.',
  examples: ['tokens export > tokens-backup.json', 'tokens export --output /secure/tokens-$(date +%F).json', "tokens export | jq '.tokens | length'"],
  options: { output: text('-o, --output <file>', 'write to this file (0600) instead of stdout') },
  async run(opts, ctx) {
    const document = await (await ctx.api()).export();
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (!opts.output) return { type: 'text', text } satisfies CommandResult;
    writePrivateFile(opts.output, text);
    return {
      type: 'message',
      text: `✓ Wrote ${document.tokens.length} tokens and ${document.scopes.length} scopes to ${opts.output}`,
      json: { path: opts.output, tokens: document.tokens.length, scopes: document.scopes.length, exported_at: document.exported_at },
    } satisfies CommandResult;
  },
});
