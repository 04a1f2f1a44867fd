// Profiles (README, Using the CLI): name → API URL, default output and the CA file to trust, kept with `conf`. Never holds a secret:
// credentials live in the keychain (or the opt-in 0600 file, see credentials.ts).
import Conf from 'conf';
import { dirname } from 'node:path';
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
  save(profile: Profile): void;
  remove(name: string): void;
  use(name: string): void;
}

export function validateProfileName(name: string): string {
  if (!PROFILE_NAME_RE.test(name)) {
    throw new UsageError(`profile name "${name}" is not valid: use letters, digits, ".", "_" or "-" (up to 64 characters)`);
  }
  return name;
}

export function openProfileStore(env: Env): ProfileStore {
  let conf: Conf<ConfigShape>;
  try {
    conf = new Conf<ConfigShape>({
      projectName: 'tokens',
      projectSuffix: '',
      ...(env.TOKENS_CONFIG_DIR ? { cwd: env.TOKENS_CONFIG_DIR } : {}),
      configName: 'config',
      defaults: { profiles: {} },
      accessPropertiesByDotNotation: false,
      configFileMode: 0o600,
    });
  } catch (err) {
    throw new CliError(`cannot read the config file: ${(err as Error).message.split('\n')[0]}`, EXIT.error, 'fix or delete the file, then re-run');
  }
  const profiles = () => conf.get('profiles') ?? {};
  const toProfile = (name: string, p: Omit<Profile, 'name'>): Profile => ({
    name,
    api_url: p.api_url,
    output: p.output ?? 'auto',
    ...(p.ca_file ? { ca_file: p.ca_file } : {}),
    ...(p.credential ? { credential: p.credential } : {}),
  });
  return {
    path: conf.path,
    dir: dirname(conf.path),
    current: () => conf.get('current'),
    list: () => Object.entries(profiles()).map(([name, p]) => toProfile(name, p)).sort((a, b) => a.name.localeCompare(b.name)),
    get(name) {
      const p = profiles()[name];
      return p ? toProfile(name, p) : undefined;
    },
    save(profile) {
      const { name, ...rest } = profile;
      conf.set('profiles', { ...profiles(), [name]: rest });
    },
    remove(name) {
      const { [name]: _removed, ...rest } = profiles();
      conf.set('profiles', rest);
      if (conf.get('current') === name) conf.delete('current');
    },
    use(name) {
      conf.set('current', name);
    },
  };
}
