// The shape of a command: a small declarative definition that src/cli.ts attaches to commander.
import type { Context } from './context.js';
import type { CommandResult } from '../terminal/output.js';

export interface OptionSpec {
  /** commander flags, e.g. "-p, --port <number>" */
  flags: string;
  description: string;
  defaultValue?: string | boolean | string[];
  /** Fixed values: validated by commander and offered by shell completion. */
  choices?: readonly string[];
  /** May be given several times; each value may also be a comma-separated list. Arrives as string[]. */
  repeatable?: boolean;
  /** Environment variable that supplies the default (read by commander from the process environment). */
  env?: string;
  hidden?: boolean;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
  /** Fixed values, offered by shell completion. */
  choices?: readonly string[];
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
  /**
   * Does the work and returns data for the renderer (or an exit code, or nothing for 0).
   * Positional arguments arrive in opts.args.
   */
  run?(opts: Opts & { args: string[] }, ctx: Context): Promise<CommandResult | number | void>;
}

export function defineCommand<Opts>(def: CommandDefinition<Opts>): CommandDefinition<Opts> {
  return def;
}
