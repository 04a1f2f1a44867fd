// The OS keychain (service "tokens", account = profile) behind a time limit. Each call runs
// keychain-helper in a child process that is killed when the limit passes.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from '../cli/errors.js';
import type { Env } from '../terminal/io.js';

export const KEYCHAIN_SERVICE = 'tokens';
const DEFAULT_TIMEOUT_SECONDS = 20;

export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** No keychain can be reached (no Secret Service, locked, or it did not answer in time). */
export class KeychainUnavailableError extends CliError {
  constructor(readonly reason: string) {
    super(`the OS keychain is not available: ${reason}`, EXIT.error);
  }
}

function helperPath(): string {
  // In the bundle the helper is dist/keychain-helper.js beside this chunk; from source it is the .ts file.
  for (const name of ['./keychain-helper.js', './keychain-helper.ts']) {
    const path = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new KeychainUnavailableError('the keychain helper is missing from this installation');
}

export function systemKeychain(env: Env, nodePath: string): Keychain {
  const seconds = Number(env.TOKENS_KEYCHAIN_TIMEOUT) > 0 ? Number(env.TOKENS_KEYCHAIN_TIMEOUT) : DEFAULT_TIMEOUT_SECONDS;
  // The child needs the session bus and home; it never needs a token from the environment.
  const { TOKENS_TOKEN: _omit, ...childEnv } = env;

  function call(request: { op: 'get' | 'set' | 'delete'; account: string; secret?: string }): Promise<{ value?: unknown }> {
    return new Promise((resolve, reject) => {
      // node:child_process on first use: a command with TOKENS_TOKEN set never reads the keychain.
      const child = process.getBuiltinModule('node:child_process').spawn(nodePath, [helperPath()], { env: childEnv, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() => reject(new KeychainUnavailableError(`it did not answer within ${seconds} s`)));
      }, seconds * 1000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (out += chunk));
      child.on('error', (err) => finish(() => reject(new KeychainUnavailableError(err.message))));
      child.on('close', () =>
        finish(() => {
          let body: { ok?: boolean; unavailable?: boolean; message?: string; value?: unknown };
          try {
            body = JSON.parse(out);
          } catch {
            return reject(new KeychainUnavailableError('the keychain helper failed'));
          }
          if (body.ok) return resolve(body);
          if (body.unavailable) return reject(new KeychainUnavailableError(body.message ?? 'unknown error'));
          reject(new CliError(`the OS keychain refused the ${request.op === 'get' ? 'read' : 'change'}: ${body.message ?? 'unknown error'}`));
        }),
      );
      child.stdin.on('error', () => undefined);
      child.stdin.end(JSON.stringify({ ...request, service: KEYCHAIN_SERVICE }));
    });
  }

  return {
    async get(account) {
      const { value } = await call({ op: 'get', account });
      return typeof value === 'string' && value ? value : null;
    },
    async set(account, secret) {
      await call({ op: 'set', account, secret });
    },
    async delete(account) {
      const { value } = await call({ op: 'delete', account });
      return value === true;
    },
  };
}
