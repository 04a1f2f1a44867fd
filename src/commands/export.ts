// `tokens export`: a backup as one JSON document — token metadata, the scope catalog, the policies,
// and with --include-hashes the secrets' digests (never secrets) — that `tokens import` restores.
import { defineCommand } from '../cli/define.js';
import { flag, text } from '../cli/options.js';
import type { CommandResult } from '../terminal/output.js';
import { writePrivateFile } from '../credentials/private-file.js';

export default defineCommand({
  name: 'export',
  summary: 'Export a backup: token metadata, the scope catalog, policies and webhooks as JSON (never secrets)',
  description:
    'Prints (or writes to --output, mode 0600) one JSON document (schema_version 2): every token\'s metadata\n' +
    'and what a restore needs, the scope catalog, the policies and the webhooks (without their signing\n' +
    'secrets). It never contains a secret (though a Slack webhook URL is itself a credential). With\n' +
    '--include-hashes it also holds each secret\'s HMAC digest and pepper version, so that "tokens import" into\n' +
    'a server with the same pepper makes every secret work again; keep such a file as safe as the database.\n' +
    'Needs the management scope; audited (tokens.exported, or tokens.exported_with_hashes).',
  examples: [
    'tokens export > tokens-backup.json',
    'tokens export --include-hashes --output /secure/tokens-$(date +%F).json',
    "tokens export | jq '.tokens | length'",
  ],
  options: {
    output: text('-o, --output <file>', 'write to this file (0600) instead of stdout'),
    includeHashes: flag('--include-hashes', "add every secret's digest and pepper version, so that an import restores the secrets too"),
  },
  async run(opts, ctx) {
    const document = await (await ctx.api()).export({ includeHashes: opts.includeHashes });
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (opts.includeHashes) ctx.io.warn('the export holds the secret digests: with the pepper they are as good as the database; keep it as safe');
    if (!opts.output) return { type: 'text', text } satisfies CommandResult;
    writePrivateFile(opts.output, text);
    const policies = document.policies?.length ?? 0;
    const webhooks = document.webhooks?.length ?? 0;
    const custom = document.scopes.filter((s) => !s.builtin).length;
    return {
      type: 'message',
      text: `✓ Wrote ${document.tokens.length} tokens, ${custom} custom scopes, ${policies} policies and ${webhooks} webhooks to ${opts.output}${opts.includeHashes ? ' (with secret digests)' : ''}`,
      json: { path: opts.output, tokens: document.tokens.length, scopes: document.scopes.length, policies, webhooks, include_hashes: Boolean(opts.includeHashes), exported_at: document.exported_at },
    } satisfies CommandResult;
  },
});
