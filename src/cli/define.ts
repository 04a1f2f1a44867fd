// What a command is (wrangler's createCommand is the model): a definition — name, summary, examples,
// its flags and positionals each declared once (options.ts), whose declarations give the handler's
// option types — and the context its handler runs with. program.ts attaches definitions to
// commander, context.ts builds the context, and the build reads the definitions for the manifest.
import type { ArgumentDecls, ArgumentValues, OptionDecls, OptionValues } from './options.js';
import type { GlobalOptions } from './shared-options.js';
import type { TokensApi } from '../api/client.js';
import type { Credential, Credentials } from '../credentials/credential.js';
import type { Keychain } from '../credentials/keychain.js';
import type { ProfileStore } from '../credentials/profiles.js';
import type { ApiTarget } from '../credentials/target.js';
import type { IO } from '../terminal/io.js';
import type { CommandResult } from '../terminal/output.js';
import type { Prompter } from '../terminal/prompter.js';

/** The context's providers that tests may replace. */
export interface Providers {
  profiles(): Promise<ProfileStore>;
  keychain(): Promise<Keychain>;
  prompter(): Promise<Prompter>;
}

/**
 * Handed to every handler: lazy providers, so a command loads only what it uses. Handlers never read
 * process.* or globals; tests hand in fakes of the same shape.
 */
export interface Context extends Providers {
  io: IO;
  clock: () => number;
  globals: GlobalOptions;
  credentials(): Promise<Credentials>;
  /** The profile and API URL this command talks to. */
  target(): Promise<ApiTarget>;
  /** The operator's credential for the target profile (which source won is in .source). */
  credential(): Promise<Credential>;
  /** The API as the operator: target + credential. */
  api(): Promise<TokensApi>;
  /** The API with an explicit credential (or none) and optionally another target, e.g. to verify a secret before `login` stores it. */
  connect(credential: Credential | null, target?: ApiTarget): Promise<TokensApi>;
  /** Every command definition, loaded (for the completion scripts). */
  commandTree(): Promise<CommandDefinition[]>;
  /** Closes connections; called once the command is done. */
  dispose(): Promise<void>;
}

/** Data for the renderer, an exit code, or nothing for 0. */
export type RunResult = Promise<CommandResult | number | void>;

interface CommandSpec<O extends OptionDecls, A extends ArgumentDecls> {
  name: string;
  /** One line: the manifest (`tokens --help`) and shell completion show it. */
  summary: string;
  description?: string;
  /** Real invocations shown under --help; at least one. */
  examples: string[];
  /** Positionals in order, each under its name. */
  arguments?: A;
  options?: O;
  subcommands?: CommandDefinition[];
  run?(opts: OptionValues<O> & ArgumentValues<A>, ctx: Context): RunResult;
}

/** A definition with its option types erased: what the program wiring and completion walk. */
export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly examples: string[];
  readonly arguments: ArgumentDecls;
  readonly options: OptionDecls;
  readonly subcommands: CommandDefinition[];
  readonly run?: (values: Record<string, unknown>, ctx: Context) => RunResult;
}

export function defineCommand<O extends OptionDecls = {}, A extends ArgumentDecls = {}>(spec: CommandSpec<O, A>): CommandDefinition {
  return {
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    examples: spec.examples,
    arguments: spec.arguments ?? {},
    options: spec.options ?? {},
    subcommands: spec.subcommands ?? [],
    // program.ts builds the values from these same declarations, so erasing their type is safe.
    run: spec.run as CommandDefinition['run'],
  };
}
