// Profiles (README, Using the CLI): name → API URL, default output and the CA file to trust, in one
// JSON file. Never holds a secret: credentials live in the keychain (or the opt-in 0600 file, see
// credentials.ts). Reading is one JSON.parse; `conf` (atomic 0600 writes, and the schema library it
// brings) loads only when a command changes a profile (README, Performance).
import type Conf from 'conf';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT, UsageError } from '../cli/errors.js';
import type { Env } from '../terminal/io.js';

export const OUTPUT_MODES = ['auto', 'table', 'tsv', 'json'] as const;
export type OutputSetting = (typeof OUTPUT_MODES)[number];
export const DEFAULT_PROFILE = 'default';
export const DEFAULT_API_URL = 'http://127.0.0.1:8787';
const PROFILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What `login` learned about the stored credential; shown by whoami and used for expiry warnings. */
interface StoredCredentialInfo {
  id: string;
  name: string;
  expires_at: string | null;
  storage: 'keychain' | 'file';
}

export interface Profile {
  name: string;
  api_url: string;
  output: OutputSetting;
  /** A private CA's certificate (absolute path) trusted for this server's TLS certificate. */
  ca_file?: string;
  credential?: StoredCredentialInfo;
}

interface ConfigShape {
  current?: string;
  profiles: Record<string, Omit<Profile, 'name'>>;
}

export interface ProfileStore {
  /** The config file (JSON). */
  readonly path: string;
  readonly dir: string;
  current(): string | undefined;
  list(): Profile[];
  get(name: string): Profile | undefined;
  save(profile: Profile): Promise<void>;
  remove(name: string): Promise<void>;
  use(name: string): Promise<void>;
}

export function validateProfileName(name: string): string {
  if (!PROFILE_NAME_RE.test(name)) {
    throw new UsageError(`profile name "${name}" is not valid: use letters, digits, ".", "_" or "-" (up to 64 characters)`);
  }
  return name;
}

/** Where conf keeps a project's config by default (env-paths, which conf uses): the same folder, so both agree. */
function defaultConfigDir(env: Env): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'tokens');
  if (process.platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'tokens', 'Config');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tokens');
}

function unreadable(reason: string): CliError {
  return new CliError(`cannot read the config file: ${reason}`, EXIT.error, 'fix or delete the file, then re-run');
}

/** The config file as it is on disk; none yet is an empty one. */
function readConfig(path: string): ConfigShape {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw unreadable((err as Error).message.split('\n')[0]!);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw unreadable((err as Error).message.split('\n')[0]!);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw unreadable('it does not hold a JSON object');
  const config = parsed as Partial<ConfigShape>;
  return { ...config, profiles: config.profiles ?? {} };
}

export function openProfileStore(env: Env): ProfileStore {
  const dir = env.TOKENS_CONFIG_DIR || defaultConfigDir(env);
  const path = join(dir, 'config.json');
  let config = readConfig(path);
  let writer: Promise<Conf<ConfigShape>> | undefined;
  /** conf over the same file, loaded on the first change; each change reads the file again through it. */
  const write = async (change: (conf: Conf<ConfigShape>) => void) => {
    writer ??= import('conf').then(({ default: Conf }) => {
      try {
        return new Conf<ConfigShape>({
          projectName: 'tokens',
          projectSuffix: '',
          cwd: dir,
          configName: 'config',
          defaults: { profiles: {} },
          accessPropertiesByDotNotation: false,
          configFileMode: 0o600,
        });
      } catch (err) {
        throw unreadable((err as Error).message.split('\n')[0]!);
      }
    });
    const conf = await writer;
    change(conf);
    config = { ...conf.store, profiles: conf.store.profiles ?? {} };
  };
  const profiles = () => config.profiles;
  const toProfile = (name: string, p: Omit<Profile, 'name'>): Profile => ({
    name,
    api_url: p.api_url,
    output: p.output ?? 'auto',
    ...(p.ca_file ? { ca_file: p.ca_file } : {}),
    ...(p.credential ? { credential: p.credential } : {}),
  });
  return {
    path,
    dir,
    current: () => config.current,
    list: () => Object.entries(profiles()).map(([name, p]) => toProfile(name, p)).sort((a, b) => a.name.localeCompare(b.name)),
    get(name) {
      const p = Object.hasOwn(profiles(), name) ? profiles()[name] : undefined;
      return p ? toProfile(name, p) : undefined;
    },
    save(profile) {
      const { name, ...rest } = profile;
      return write((conf) => conf.set('profiles', { ...(conf.get('profiles') ?? {}), [name]: rest }));
    },
    remove(name) {
      return write((conf) => {
        const { [name]: _removed, ...rest } = conf.get('profiles') ?? {};
        conf.set('profiles', rest);
        if (conf.get('current') === name) conf.delete('current');
      });
    },
    use(name) {
      return write((conf) => conf.set('current', name));
    },
  };
}
