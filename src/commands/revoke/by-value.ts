// `tokens revoke --value -` (README, Rotation in CI, incident revocation and `tokens check`): leaked
// secrets from stdin (one per line) or a hidden prompt, revoked by the engine configuration in
// token-operation/leaked-secrets.ts — never passed in argv, a log or a message.
import type { Context } from '../../cli/define.js';
import { UsageError } from '../../cli/errors.js';
import { parseSecret } from '../../shared/secret.js';
import type { CommandResult } from '../../terminal/output.js';
import { revokeLeakedSecrets, type LeakedSecret, type ValueRevokeOptions } from '../token-operation/leaked-secrets.js';

async function promptSecrets(ctx: Context): Promise<string[]> {
  const prompter = await ctx.prompter();
  const secrets: string[] = [];
  for (;;) {
    const answer = (await prompter.secret({ message: secrets.length ? 'Another leaked secret (empty to finish):' : 'Leaked secret (input hidden):' })).trim();
    if (!answer) return secrets;
    secrets.push(answer);
  }
}

/** One secret per line from piped stdin, or hidden prompts at a terminal; blank lines and # comments skipped. */
async function readLeakedSecrets(ctx: Context): Promise<LeakedSecret[]> {
  if (ctx.globals.tokenStdin) throw new UsageError('--value - and --token-stdin both read standard input; give your credential with TOKENS_TOKEN or a login instead');
  let raw: string[];
  if (ctx.io.stdinIsTTY) {
    if (!ctx.io.canPrompt()) throw new UsageError('--value - reads the leaked secrets from standard input: pipe them in, one per line');
    raw = await promptSecrets(ctx);
  } else {
    raw = (await ctx.io.readStdin()).split(/\r?\n/);
  }
  const entries: LeakedSecret[] = [];
  raw.forEach((text, i) => {
    const secret = text.trim();
    if (!secret || secret.startsWith('#')) return;
    entries.push({ label: `line ${i + 1}`, json: { line: i + 1 }, secret, start: parseSecret(secret)?.start ?? null });
  });
  if (!entries.length) throw new UsageError('no secrets were given', 'e.g. pbpaste | tokens revoke --value - --reason "leaked in a build log"');
  return entries;
}

export async function revokeByValue(ctx: Context, opts: ValueRevokeOptions): Promise<CommandResult> {
  return revokeLeakedSecrets(ctx, await readLeakedSecrets(ctx), opts);
}
