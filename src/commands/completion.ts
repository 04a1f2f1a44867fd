// `tokens completion <shell>`: print the completion script generated from the command tree.
import { defineCommand } from '../cli/define.js';
import { SHELLS, type Shell } from '../cli/completion.js';
import type { CommandResult } from '../terminal/output.js';

export default defineCommand<Record<string, never>>({
  name: 'completion',
  summary: 'Print the shell completion script for bash, zsh or fish',
  description:
    'Prints a completion script for commands, flags and fixed flag values. The same scripts ship in\n' +
    'completions/ (generated at build time).',
  arguments: [{ name: 'shell', description: 'bash, zsh or fish', required: true, choices: SHELLS }],
  examples: [
    'source <(tokens completion bash)',
    'tokens completion zsh > "${fpath[1]}/_tokens"',
    'tokens completion fish > ~/.config/fish/completions/tokens.fish',
  ],
  async run(opts) {
    const shell = opts.args[0] as Shell;
    const { completionScripts } = await import('../cli/main.js');
    return { type: 'text', text: (await completionScripts())[shell] } satisfies CommandResult;
  },
});
