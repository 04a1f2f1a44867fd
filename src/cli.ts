// Entry point: builds the commander tree from the manifest, loading only the command being run.
import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import type { CommandDefinition } from './commands/types.js';
import type { Context } from './lib/context.js';
import { CliError, EXIT, EXIT_CODE_HELP, SilentError } from './lib/errors.js';
import { VERSION } from './version.js';

function attach(parent: Command, def: CommandDefinition<any>, ctx: Context, setExit: (code: number) => void): Command {
  const cmd = parent.command(def.name).summary(def.summary).description(def.description ?? def.summary);
  for (const a of def.arguments ?? []) {
    const name = a.variadic ? `${a.name}...` : a.name;
    cmd.argument(a.required ? `<${name}>` : `[${name}]`, a.description);
  }
  for (const o of def.options ?? []) {
    const option = new Option(o.flags, o.description);
    if (o.defaultValue !== undefined) option.default(o.defaultValue);
    if (o.choices) option.choices(o.choices);
    if (o.env) option.env(o.env);
    if (o.hidden) option.hideHelp();
    cmd.addOption(option);
  }
  cmd.addHelpText('after', `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  for (const sub of def.subcommands ?? []) attach(cmd, sub, ctx, setExit);
  if (def.run) {
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const args = command.args;
      const code = await def.run!({ ...command.opts(), args }, { ...ctx, globals: command.optsWithGlobals() });
      setExit(code ?? 0);
    });
  }
  return cmd;
}

function firstCommandName(argv: string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

export async function main(argv: string[], ctx: Context): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('tokens')
    .description('Administer API tokens: create, rotate, revoke, audit — and run the reference server.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n\nRun "tokens <command> --help" for a command's flags and examples.\n`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    });

  const wanted = firstCommandName(argv);
  for (const entry of COMMANDS) {
    if (entry.name === wanted) {
      attach(program, (await entry.load()).default, ctx, (c) => (exitCode = c));
    } else {
      program.command(entry.name).summary(entry.summary).description(entry.summary);
    }
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof SilentError) return err.exitCode;
    if (err instanceof CliError) {
      ctx.io.stderr.write(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.io.stderr.write(`error: ${message.split('\n')[0]}\n`);
    if (ctx.globals.debug && err instanceof Error && err.stack) ctx.io.stderr.write(`${err.stack}\n`);
    return EXIT.error;
  }
}

export async function run(): Promise<void> {
  const ctx: Context = {
    io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
    clock: Date.now,
    globals: { debug: process.argv.includes('--debug') },
  };
  const code = await main(process.argv.slice(2), ctx);
  process.exitCode = code;
}
