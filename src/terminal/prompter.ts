// Questions at a terminal. The real one is @inquirer/prompts, loaded only when a command asks;
// tests hand in a scripted Prompter of the same shape.
import { CancelledError } from '../cli/errors.js';
import type { IO } from './io.js';

export interface Choice {
  value: string;
  name?: string;
  description?: string;
  checked?: boolean;
}

export interface Prompter {
  text(q: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  /** Hidden input: nothing echoed. */
  secret(q: { message: string }): Promise<string>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
  checkbox(q: { message: string; choices: Choice[]; required?: boolean }): Promise<string[]>;
}

function cancelled(err: unknown): never {
  const name = (err as { name?: string })?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new CancelledError();
  throw err;
}

export async function inquirerPrompter(io: IO): Promise<Prompter> {
  const inquirer = await import('@inquirer/prompts');
  const context = { input: io.stdin, output: io.stdout, clearPromptOnDone: false };
  return {
    text: (q) => inquirer.input({ message: q.message, default: q.default, required: true, validate: q.validate }, context).catch(cancelled),
    secret: (q) => inquirer.password({ message: q.message, mask: false }, context).catch(cancelled),
    confirm: (q) => inquirer.confirm({ message: q.message, default: q.default ?? false }, context).catch(cancelled),
    checkbox: (q) =>
      inquirer
        .checkbox({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, name: c.name ?? c.value, description: c.description, checked: c.checked })), required: q.required, pageSize: 12 }, context)
        .catch(cancelled),
  };
}
