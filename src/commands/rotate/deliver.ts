// Where a new secret goes after a rotation (README, Rotation in CI…): the stdin of a command
// (--deliver), a 0600 file written atomically (--deliver-file, with {name} for bulk runs), or stdout.
// Never a process argument, never an environment variable, never a log line or an error message.
import { spawn } from 'node:child_process';
import type { Token } from '../../api/client.js';
import { CliError, EXIT, UsageError } from '../../cli/errors.js';
import { writePrivateFile } from '../../credentials/private-file.js';
import type { Env } from '../../terminal/io.js';

/** What the destination learns about the token besides its secret. */
interface DeliveryTarget {
  /** The successor's id. */
  id: string;
  name: string;
  start: string;
  predecessorId: string;
  expiresAt: string | null;
}

/** What a delivery learns about the token besides its secret. */
export function deliveryTarget(successor: Token, predecessor: Token): DeliveryTarget {
  return { id: successor.id, name: successor.name, start: successor.start, predecessorId: predecessor.id, expiresAt: successor.expires_at };
}

export interface Delivery {
  /** "stdout", "command", or the file path: for the report. */
  describe(target: DeliveryTarget): string;
  /** Hands the secret over; throws a CliError whose message never contains the secret. */
  deliver(secret: string, target: DeliveryTarget): Promise<void>;
  /** Stdout delivery happens when the report is printed. */
  readonly viaStdout: boolean;
}

export const DEFAULT_DELIVER_TIMEOUT_SECONDS = 60;
const OUTPUT_TAIL_BYTES = 2000;
const OUTPUT_TAIL_LINES = 5;

/** The operator's own credential is not the deliver command's business. */
const WITHHELD_ENV = ['TOKENS_TOKEN'];

function redacted(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** The last lines a failing command printed, with the secret taken out should it have echoed it. */
function outputTail(output: Buffer[], secret: string): string {
  const text = redacted(Buffer.concat(output).toString('utf8'), secret).trim();
  if (!text) return '';
  return text.split(/\r?\n/).slice(-OUTPUT_TAIL_LINES).join(' | ');
}

/**
 * `--deliver CMD`: run by the shell with the secret (exactly, no newline) on stdin and the token in
 * TOKEN_ID, TOKEN_NAME, TOKEN_START, TOKEN_PREDECESSOR_ID, TOKEN_EXPIRES_AT. Killed after the time limit.
 */
function commandDelivery(command: string, env: Env, timeoutSeconds: number): Delivery {
  return {
    viaStdout: false,
    describe: () => 'command',
    deliver(secret, target) {
      const childEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) if (v !== undefined && !WITHHELD_ENV.includes(k)) childEnv[k] = v;
      Object.assign(childEnv, {
        TOKEN_ID: target.id,
        TOKEN_NAME: target.name,
        TOKEN_START: target.start,
        TOKEN_PREDECESSOR_ID: target.predecessorId,
        TOKEN_EXPIRES_AT: target.expiresAt ?? '',
      });
      return new Promise<void>((resolve, reject) => {
        const child = spawn(command, { shell: true, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
        const output: Buffer[] = [];
        let kept = 0;
        const keep = (chunk: Buffer) => {
          output.push(chunk);
          kept += chunk.length;
          while (kept > OUTPUT_TAIL_BYTES * 2 && output.length > 1) kept -= output.shift()!.length;
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          // The whole process group: `sh -c 'a | b'` leaves children behind otherwise.
          try {
            if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
            else child.kill('SIGKILL');
          } catch {
            // already gone
          }
        }, timeoutSeconds * 1000);
        // A command that does not read its stdin closes the pipe early; its exit status decides.
        child.stdin.on('error', () => undefined);
        child.stdin.end(secret);
        child.on('error', (err) => {
          clearTimeout(timer);
          reject(new CliError(`the deliver command could not be started: ${err.message}`, EXIT.error));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          const tail = outputTail(output, secret);
          const said = tail ? `: ${tail}` : '';
          if (timedOut) reject(new CliError(`the deliver command did not finish within ${timeoutSeconds} s and was stopped${said}`, EXIT.error));
          else if (code === 0) resolve();
          else reject(new CliError(`the deliver command ${signal ? `was killed by ${signal}` : `exited with status ${code}`}${said}`, EXIT.error));
        });
      });
    },
  };
}

const UNSAFE_NAME_CHARS = /[^A-Za-z0-9._-]/g;

/** A token name as one safe path component: "ci/deploy prod" → "ci_deploy_prod". */
function fileNameOf(name: string): string {
  const safe = name.replace(UNSAFE_NAME_CHARS, '_').replace(/^\.+/, '_');
  return safe || '_';
}

/** `--deliver-file PATH`: "{name}" in PATH becomes the token's name (made safe as a file name). */
function deliveryPath(template: string, name: string): string {
  return template.split('{name}').join(fileNameOf(name));
}

/** Refuses a --deliver-file template that would put two tokens' secrets in one file. */
export function checkFileTargets(flags: DeliveryFlags, names: string[], bulk: boolean): void {
  if (flags.deliverFile === undefined) return;
  if (bulk && !flags.deliverFile.includes('{name}')) {
    throw new UsageError('--deliver-file needs {name} in the path when several tokens may rotate', 'e.g. --deliver-file "secrets/{name}.token"');
  }
  const byPath = new Map<string, string>();
  for (const name of names) {
    const path = deliveryPath(flags.deliverFile, name);
    const other = byPath.get(path);
    if (other !== undefined) throw new UsageError(`--deliver-file would write the secrets of "${other}" and "${name}" to the same file ${path}`);
    byPath.set(path, name);
  }
}

function fileDelivery(template: string): Delivery {
  return {
    viaStdout: false,
    describe: (target) => deliveryPath(template, target.name),
    async deliver(secret, target) {
      writePrivateFile(deliveryPath(template, target.name), `${secret}\n`);
    },
  };
}

const stdoutDelivery: Delivery = {
  viaStdout: true,
  describe: () => 'stdout',
  async deliver() {
    // Printed with the report, once the rotation is complete.
  },
};

interface DeliveryFlags {
  deliver?: string;
  deliverFile?: string;
}

export function chooseDelivery(flags: DeliveryFlags, env: Env, timeoutSeconds: number): Delivery {
  if (flags.deliver !== undefined && flags.deliverFile !== undefined) throw new UsageError('use either --deliver or --deliver-file, not both');
  if (flags.deliver !== undefined) {
    if (!flags.deliver.trim()) throw new UsageError('--deliver needs a command');
    return commandDelivery(flags.deliver, env, timeoutSeconds);
  }
  if (flags.deliverFile !== undefined) {
    if (!flags.deliverFile.trim()) throw new UsageError('--deliver-file needs a path');
    return fileDelivery(flags.deliverFile);
  }
  return stdoutDelivery;
}
