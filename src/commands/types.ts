// The shape of a command: a small declarative definition that src/cli.ts attaches to commander.
import type { Context } from '../lib/context.js';

export interface OptionSpec {
  /** commander flags, e.g. "-p, --port <number>" */
  flags: string;
  description: string;
  defaultValue?: string | boolean | string[];
  /** Fixed values: validated by commander and offered by shell completion. */
  choices?: readonly string[];
  /** Environment variable that supplies the default. */
  env?: string;
  hidden?: boolean;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export interface CommandDefinition<Opts = Record<string, unknown>> {
  name: string;
  summary: string;
  description?: string;
  /** Real invocations shown under --help; at least one. */
  examples: string[];
  arguments?: ArgumentSpec[];
  options?: OptionSpec[];
  subcommands?: CommandDefinition<any>[];
  /** Returns the exit code (0 when omitted). Positional arguments arrive in opts.args. */
  run?(opts: Opts & { args: string[] }, ctx: Context): Promise<number | void>;
}

export function defineCommand<Opts>(def: CommandDefinition<Opts>): CommandDefinition<Opts> {
  return def;
}
