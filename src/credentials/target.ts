// Which profile and API URL a command talks to: --profile > TOKENS_PROFILE > the current profile,
// TOKENS_API_URL over the profile's URL; plain http only to loopback unless --insecure-http; the CA to
// trust for its TLS certificate: --ca-file > TOKENS_CA_FILE > the profile's.
import { UsageError } from '../cli/errors.js';
import { isLoopbackHost } from '../shared/loopback.js';
import type { TrustedCa } from '../api/tls.js';
import type { Env } from '../terminal/io.js';
import { DEFAULT_API_URL, DEFAULT_PROFILE, validateProfileName, type OutputSetting, type Profile, type ProfileStore } from './profiles.js';

export interface ApiTarget {
  profile: string;
  /** The stored profile, when there is one. */
  stored?: Profile;
  apiUrl: string;
  urlSource: 'TOKENS_API_URL' | 'profile' | 'default';
  output: OutputSetting;
  /** A private CA to trust for the server's certificate. */
  ca?: TrustedCa;
}

interface TargetFlags {
  profile?: string;
  insecureHttp?: boolean;
  caFile?: string;
}

/** A normalised http(s) base URL; refuses plain http to anything but loopback without the flag. */
export function checkApiUrl(raw: string, insecureHttp: boolean, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${source} is not a URL: "${raw}"`, 'use a URL like https://tokens.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${source} must be an http(s) URL, not ${url.protocol}`);
  if (url.username || url.password) throw new UsageError(`${source} must not carry a user name or password`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !insecureHttp) {
    throw new UsageError(
      `refusing to send credentials over plain http to ${url.host}`,
      'use https, or pass --insecure-http if this network is trusted',
    );
  }
  return url.href.replace(/\/+$/, '');
}

export function resolveTarget(store: ProfileStore, flags: TargetFlags, env: Env, opts: { allowMissingProfile?: boolean } = {}): ApiTarget {
  const explicit = flags.profile ?? (env.TOKENS_PROFILE || undefined);
  const profile = validateProfileName(explicit ?? store.current() ?? DEFAULT_PROFILE);
  const stored = store.get(profile);
  const envUrl = env.TOKENS_API_URL || undefined;
  if (!stored && explicit && !envUrl && !opts.allowMissingProfile) {
    throw new UsageError(`no profile named "${profile}"`, `create it with: tokens profile add ${profile} --api-url URL`);
  }
  const insecure = Boolean(flags.insecureHttp);
  const ca = trustedCa(flags, env, stored);
  if (envUrl) return { profile, stored, apiUrl: checkApiUrl(envUrl, insecure, 'TOKENS_API_URL'), urlSource: 'TOKENS_API_URL', output: stored?.output ?? 'auto', ...ca };
  if (stored) return { profile, stored, apiUrl: checkApiUrl(stored.api_url, insecure, `the API URL of profile "${profile}"`), urlSource: 'profile', output: stored.output, ...ca };
  return { profile, apiUrl: DEFAULT_API_URL, urlSource: 'default', output: 'auto', ...ca };
}

function trustedCa(flags: TargetFlags, env: Env, stored: Profile | undefined): { ca?: TrustedCa } {
  if (flags.caFile) return { ca: { file: flags.caFile, source: '--ca-file' } };
  if (env.TOKENS_CA_FILE) return { ca: { file: env.TOKENS_CA_FILE, source: 'TOKENS_CA_FILE' } };
  if (stored?.ca_file) return { ca: { file: stored.ca_file, source: `profile "${stored.name}"` } };
  return {};
}
