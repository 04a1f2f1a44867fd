// The context handed to every command's run(): lazy providers, so a command loads only what it uses.
// Commands never read process.* directly; tests hand in a context of the same shape.
export interface IO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface Context {
  io: IO;
  clock: () => number;
  /** Global flags from the root command (--profile, --json, --debug, …). */
  globals: Record<string, unknown>;
}
