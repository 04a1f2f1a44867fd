// The commander program: global flags, help with examples and the exit-code table, and each command
// definition attached with its flags and positionals. An action parses the values through their
// declarations and hands them, keyed as declared, to the runner.
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import type { CommandDefinition } from './define.js';
import { EXIT_CODE_HELP } from './errors.js';
import type { OptionDecl, OptionDecls, OptionValues } from './options.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS, type GlobalOptions } from './shared-options.js';
import type { IO } from '../terminal/io.js';
import { VERSION } from '../version.js';
import { redactSecretShapes } from '../shared/secret.js';

export type Runner = (def: CommandDefinition, values: Record<string, unknown>, command: Command) => Promise<void>;

function collect(choices: readonly string[] | undefined) {
  return (value: string, previous: string[] | undefined): string[] => {
    const values = value.split(',').map((v) => v.trim()).filter(Boolean);
    for (const v of values) {
      if (choices && !choices.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    }
    return [...(previous ?? []), ...values];
  };
}

function toOption(key: string, decl: OptionDecl<unknown>): Option {
  const option = new Option(decl.flags, decl.description);
  // The handler reads each value under its declared key: it must be the attribute commander fills.
  if (option.attributeName() !== key) throw new Error(`option ${decl.flags} is declared as "${key}"; commander calls it "${option.attributeName()}"`);
  if (decl.repeatable) option.argParser(collect(decl.choices));
  else if (decl.choices) option.choices(decl.choices);
  if (decl.defaultValue !== undefined) option.default(decl.defaultValue);
  if (decl.env) option.env(decl.env);
  if (decl.hidden) option.hideHelp();
  return option;
}

function parseOptions<O extends OptionDecls>(decls: O, raw: Record<string, unknown>): OptionValues<O> {
  return Object.fromEntries(Object.entries(decls).map(([key, decl]) => [key, decl.parse(raw[key])])) as OptionValues<O>;
}

/** What a handler gets: each positional under its name, then each option parsed. */
function valuesOf(def: CommandDefinition, params: unknown[], command: Command): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  Object.entries(def.arguments).forEach(([key, decl], i) => {
    values[key] = decl.variadic ? (params[i] ?? []) : params[i];
  });
  return Object.assign(values, parseOptions(def.options, command.opts()));
}

export function attach(parent: Command, def: CommandDefinition, runner: Runner): Command {
  // Source text is wrapped for reading; commander re-wraps to the terminal, so keep only paragraph breaks.
  const description = (def.description ?? def.summary).replace(/(?<!\n)\n(?!\n)/g, ' ');
  const cmd = parent.command(def.name).summary(def.summary).description(description);
  for (const [key, a] of Object.entries(def.arguments)) {
    const name = a.variadic ? `${key}...` : key;
    const argument = new Argument(a.required ? `<${name}>` : `[${name}]`, a.description);
    if (a.choices) argument.choices(a.choices);
    cmd.addArgument(argument);
  }
  for (const [key, decl] of Object.entries(def.options)) cmd.addOption(toOption(key, decl));
  cmd.addHelpText('after', `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  for (const sub of def.subcommands) attach(cmd, sub, runner);
  if (def.run) {
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      await runner(def, valuesOf(def, params, command), command);
    });
  }
  return cmd;
}

/** The command named in argv, skipping global options and their values (`--profile prod list`). */
export function wantedCommand(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg === 'help' ? wantedCommand(argv.slice(i + 1)) : arg;
  }
  return undefined;
}

export function globalsOf(command: Command): GlobalOptions {
  return parseOptions(GLOBAL_OPTIONS, command.optsWithGlobals());
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
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(redactSecretShapes(s)) });
  for (const [key, decl] of Object.entries(GLOBAL_OPTIONS)) program.addOption(toOption(key, decl));
  return program;
}
