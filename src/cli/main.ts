// The CLI's entry (bundled as dist/cli.js): builds the program from the manifest, loading only the
// command being run, hands its result to the one renderer and maps every error to the one exit-code
// table.
import { CommanderError, type Command } from 'commander';
import { createContext, type ContextSeed } from './context.js';
import type { CommandDefinition, Context } from './define.js';
import { COMPLETE_COMMAND, printCompletions } from './complete.js';
import { CliError, EXIT, SilentError } from './errors.js';
import { COMMANDS } from './manifest.js';
import { attach, buildProgram, globalsOf, wantedCommand, type Runner } from './program.js';
import { createIO, type IO } from '../terminal/io.js';
import { redactSecretShapes } from '../shared/secret.js';
import { render, type OutputMode } from '../terminal/output.js';

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

/** An error message never repeats something shaped like a secret that the user typed or the server sent: only its prefix. */
function reportError(err: unknown, io: IO, debug: boolean): number {
  if (err instanceof SilentError) return err.exitCode;
  const label = io.err.red('error:');
  if (err instanceof CliError) {
    io.stderr.write(`${label} ${redactSecretShapes(err.message)}\n${err.hint ? `${io.err.dim('hint:')} ${redactSecretShapes(err.hint)}\n` : ''}`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`${label} ${redactSecretShapes(message.split('\n')[0]!)}\n`);
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${redactSecretShapes(err.stack)}\n`);
  return EXIT.error;
}

/** Every command definition, loaded: for completions and anything else that needs the whole tree. */
export async function loadCommandTree(): Promise<CommandDefinition[]> {
  return Promise.all(COMMANDS.map(async (entry) => (await entry.load()).default));
}

/** The completion scripts, generated from the command tree (scripts/build.mjs writes them to completions/). */
export async function completionScripts(): Promise<Record<'bash' | 'zsh' | 'fish', string>> {
  const { generateCompletion } = await import('./completion.js');
  const tree = await loadCommandTree();
  return { bash: generateCompletion('bash', tree), zsh: generateCompletion('zsh', tree), fish: generateCompletion('fish', tree) };
}

export async function main(argv: string[], seed: ContextSeed): Promise<number> {
  const { io } = seed;
  let exitCode: number = EXIT.ok;
  let ctx: Context | undefined;
  const program = buildProgram(io);

  const runner: Runner = async (def, values, command: Command) => {
    ctx = createContext(seed, globalsOf(command), loadCommandTree);
    const result = await def.run!(values, ctx);
    if (typeof result === 'number') exitCode = result;
    else if (result) {
      render(result, io, { mode: await outputMode(ctx), quiet: ctx.globals.quiet, field: ctx.globals.field, now: ctx.clock() });
      exitCode = result.exitCode ?? EXIT.ok;
    }
  };

  const wanted = wantedCommand(argv);
  if (wanted === COMPLETE_COMMAND) {
    // Hidden: the completion scripts' source of token, scope and profile names.
    program.command(`${COMPLETE_COMMAND} <source> [prefix]`, { hidden: true }).action(async (source: string, prefix: string | undefined, _opts: unknown, command: Command) => {
      exitCode = await printCompletions(seed, globalsOf(command), source, prefix ?? '', loadCommandTree);
    });
  }
  // The command being run is attached alone: the others matter only to the program's own help and
  // to the suggestion for a mistyped command, and creating them costs every run.
  const running = COMMANDS.find((entry) => entry.name === wanted);
  if (running) attach(program, (await running.load()).default, runner);
  else for (const entry of COMMANDS) program.command(entry.name).summary(entry.summary).description(entry.summary);

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

export async function run(): Promise<void> {
  // `tokens list | head -1`: the reader went away; that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const io = createIO({
    // A getter: process.stdin builds its stream on first use, and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  process.exitCode = await main(process.argv.slice(2), { io, nodePath: process.execPath });
}
