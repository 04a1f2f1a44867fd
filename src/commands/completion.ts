// `tokens completion <shell>`: print the completion script generated from the command tree.
import { generateCompletion, SHELLS } from '../cli/completion.js';
import { defineCommand } from '../cli/define.js';
import { argument } from '../cli/options.js';
import type { CommandResult } from '../terminal/output.js';

export default defineCommand({
  name: 'completion',
  summary: 'Print the shell completion script for bash, zsh or fish',
  description:
    'Prints a completion script for commands, flags and their values: fixed choices, file paths, and the\n' +
    'token, scope and profile names the server and your profiles know (asked of tokens itself, quickly;\n' +
    'nothing when the server is down). The same scripts ship in completions/ (generated at build time).',
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
