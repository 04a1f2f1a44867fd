// Entry point: builds the commander tree from the manifest, loading only the command being run,
// hands its result to the one renderer and maps every error to the one exit-code table.
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { COMMANDS } from './manifest.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS } from './shared-options.js';
import type { CommandDefinition, OptionSpec } from './define.js';
import { createContext, type Context, type ContextSeed, type GlobalOptions } from './context.js';
import { CliError, EXIT, EXIT_CODE_HELP, SilentError } from './errors.js';
import { createIO, type IO } from '../terminal/io.js';
import type { CommandResult, OutputMode } from '../terminal/output.js';
import { VERSION } from '../version.js';

type Runner = (def: CommandDefinition<any>, opts: Record<string, unknown>, command: Command) => Promise<void>;

function collect(choices: readonly string[] | undefined) {
  return (value: string, previous: string[] | undefined): string[] => {
    const values = value.split(',').map((v) => v.trim()).filter(Boolean);
    for (const v of values) {
      if (choices && !choices.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    }
    return [...(previous ?? []), ...values];
  };
}

export function toOption(o: OptionSpec): Option {
  const option = new Option(o.flags, o.description);
  if (o.repeatable) option.argParser(collect(o.choices));
  else if (o.choices) option.choices(o.choices);
  if (o.defaultValue !== undefined) option.default(o.defaultValue);
  if (o.env) option.env(o.env);
  if (o.hidden) option.hideHelp();
  return option;
}

function attach(parent: Command, def: CommandDefinition<any>, runner: Runner): Command {
  // Source text is wrapped for reading; commander re-wraps to the terminal, so keep only paragraph breaks.
  const description = (def.description ?? def.summary).replace(/(?<!\n)\n(?!\n)/g, ' ');
  const cmd = parent.command(def.name).summary(def.summary).description(description);
  for (const a of def.arguments ?? []) {
    const name = a.variadic ? `${a.name}...` : a.name;
    const argument = new Argument(a.required ? `<${name}>` : `[${name}]`, a.description);
    if (a.choices) argument.choices(a.choices);
    cmd.addArgument(argument);
  }
  for (const o of def.options ?? []) cmd.addOption(toOption(o));
  cmd.addHelpText('after', `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  for (const sub of def.subcommands ?? []) attach(cmd, sub, runner);
  if (def.run) cmd.action(async (...params: unknown[]) => runner(def, (params[params.length - 1] as Command).opts(), params[params.length - 1] as Command));
  return cmd;
}

/** The command named in argv, skipping global options and their values (`--profile prod list`). */
function wantedCommand(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg === 'help' ? wantedCommand(argv.slice(i + 1)) : arg;
  }
  return undefined;
}

function globalsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals() as Record<string, unknown>;
  return {
    profile: all.profile as string | undefined,
    json: Boolean(all.json),
    quiet: Boolean(all.quiet),
    field: all.field as string | undefined,
    debug: Boolean(all.debug),
    tokenStdin: Boolean(all.tokenStdin),
    insecureHttp: Boolean(all.insecureHttp),
  };
}

async function outputMode(ctx: Context): Promise<OutputMode> {
  if (ctx.globals.json) return 'json';
  let setting = 'auto';
  try {
    setting = (await ctx.target()).output;
  } catch {
    // No usable profile: the terminal decides.
  }
  if (setting === 'table' || setting === 'tsv' || setting === 'json') return setting;
  // FORCE_COLOR asks for the coloured terminal view even in a pipe (e.g. into less -R).
  return ctx.io.isTTY || ctx.io.colorEnabled ? 'table' : 'tsv';
}

export function buildProgram(io: IO): Command {
  const program = new Command('tokens')
    .description('Administer API tokens: create, rotate, revoke, audit — and run the reference server.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `\nExamples:\n  $ tokens login\n  $ tokens create --name ci-deploy --scope tokens:read --expires 90d\n  $ tokens list --json | jq -r '.data[].id'\n\n${EXIT_CODE_HELP}\n\nOutput: a table on a terminal, TSV in a pipe, JSON with --json. NO_COLOR turns colour off;\nFORCE_COLOR gives the coloured table even in a pipe. Run "tokens <command> --help" for a command's flags and examples.\n`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const o of GLOBAL_OPTIONS) program.addOption(toOption(o));
  return program;
}

function reportError(err: unknown, io: IO, debug: boolean): number {
  if (err instanceof SilentError) return err.exitCode;
  const label = io.err.red('error:');
  if (err instanceof CliError) {
    io.stderr.write(`${label} ${err.message}\n${err.hint ? `${io.err.dim('hint:')} ${err.hint}\n` : ''}`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`${label} ${message.split('\n')[0]}\n`);
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return EXIT.error;
}

export async function main(argv: string[], seed: ContextSeed): Promise<number> {
  const { io } = seed;
  let exitCode: number = EXIT.ok;
  let ctx: Context | undefined;
  const program = buildProgram(io);

  const runner: Runner = async (def, opts, command) => {
    ctx = createContext(seed, globalsOf(command));
    const result: CommandResult | number | void = await def.run!({ ...opts, args: command.args }, ctx);
    if (typeof result === 'number') exitCode = result;
    else if (result) {
      const { render } = await import('../terminal/output.js');
      render(result, io, { mode: await outputMode(ctx), quiet: Boolean(ctx.globals.quiet), field: ctx.globals.field, now: ctx.clock() });
      exitCode = result.exitCode ?? EXIT.ok;
    }
  };

  const wanted = wantedCommand(argv);
  for (const entry of COMMANDS) {
    if (entry.name === wanted) attach(program, (await entry.load()).default, runner);
    else program.command(entry.name).summary(entry.summary).description(entry.summary);
  }

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(err, io, Boolean(ctx?.globals.debug ?? argv.includes('--debug')));
  } finally {
    await ctx?.dispose();
  }
}

/** Every command definition, loaded: for completions and anything else that needs the whole tree. */
export async function loadCommandTree(): Promise<CommandDefinition<any>[]> {
  return Promise.all(COMMANDS.map(async (entry) => (await entry.load()).default));
}

/** The completion scripts, generated from the command tree (scripts/build.mjs writes them to completions/). */
export async function completionScripts(): Promise<Record<'bash' | 'zsh' | 'fish', string>> {
  const { generateCompletion } = await import('./completion.js');
  const tree = await loadCommandTree();
  return { bash: generateCompletion('bash', tree), zsh: generateCompletion('zsh', tree), fish: generateCompletion('fish', tree) };
}

export async function run(): Promise<void> {
  // `tokens list | head -1`: the reader went away; that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const io = createIO({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = await main(process.argv.slice(2), { io, nodePath: process.execPath });
}
