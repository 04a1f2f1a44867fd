// `tokens completion <shell>`: print the completion script generated from the command tree.
import { generateCompletion, SHELLS } from '../cli/completion.js';
import { defineCommand } from '../cli/define.js';
import { argument } from '../cli/options.js';
import type { CommandResult } from '../terminal/output.js';

export default defineCommand({
  name: 'completion',
  summary: 'Print the shell completion script for bash, zsh or fish',
  description:
    'Prints a completion script for commands, flags and fixed flag values. The same scripts ship in\n' +
    'completions/ (generated at build time).',
  arguments: { shell: argument('bash, zsh or fish', { choices: SHELLS }) },
  examples: [
    'source <(tokens completion bash)',
    'tokens completion zsh > "${fpath[1]}/_tokens"',
    'tokens completion fish > ~/.config/fish/completions/tokens.fish',
  ],
  async run(opts, ctx) {
    return { type: 'text', text: generateCompletion(opts.shell, await ctx.commandTree()) } satisfies CommandResult;
  },
});
