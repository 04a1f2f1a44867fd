// The gate in front of every destructive command: --yes, or a confirmation at a terminal after
// showing what will change; with no terminal and no --yes, refuse.
import { CancelledError, UsageError } from '../cli/errors.js';
import type { IO } from './io.js';
import type { Prompter } from './prompter.js';

/** Where the question is asked (the command context has both). */
interface Asking {
  io: IO;
  prompter(): Promise<Prompter>;
}

export interface ConfirmRequest {
  /** Verb phrase for the refusal: "revoke ci-deploy". */
  action: string;
  /** What will change, one line each, shown before the question; a function when finding out costs requests. */
  changes: string[] | (() => Promise<string[]>);
  question: string;
  yes?: boolean;
}

export async function confirmDestructive(ctx: Asking, req: ConfirmRequest): Promise<void> {
  if (req.yes) return;
  if (!ctx.io.canPrompt()) {
    throw new UsageError(`refusing to ${req.action} without confirmation: there is no terminal to ask on`, 'pass --yes to confirm');
  }
  const changes = typeof req.changes === 'function' ? await req.changes() : req.changes;
  for (const line of changes) ctx.io.stderr.write(`${line}\n`);
  const ok = await (await ctx.prompter()).confirm({ message: req.question, default: false });
  if (!ok) throw new CancelledError();
}
