// Who the CLI acts as: profile, API URL, which credential source won, and the credential's own token.
// Shared by `whoami` and `login --status`.
import type { TokensApi, Whoami } from '../api/client.js';
import { SOURCE_LABELS, type Credential } from './credential.js';
import { expiryWarning } from './expiry-warning.js';
import type { ApiTarget } from './target.js';
import type { IO } from '../terminal/io.js';
import type { Field, RecordResult } from '../terminal/output.js';

export interface Session {
  target: ApiTarget;
  credential: Credential;
  whoami: Whoami;
}

const FIELDS: Field<Session>[] = [
  { key: 'profile', label: 'Profile', value: (s) => s.target.profile },
  { key: 'api_url', label: 'API URL', value: (s) => `${s.target.apiUrl}${s.target.urlSource === 'profile' ? '' : ` (${s.target.urlSource === 'default' ? 'default' : 'from TOKENS_API_URL'})`}` },
  { key: 'credential_source', label: 'Credential from', value: (s) => s.credential.origin },
  { key: 'id', label: 'Token', value: (s) => s.whoami.token.id },
  { key: 'name', label: 'Name', value: (s) => s.whoami.token.name },
  { key: 'scopes', label: 'Scopes', value: (s) => s.whoami.token.scopes },
  { key: 'status', label: 'Status', value: (s) => s.whoami.token.status, kind: 'status' },
  { key: 'expires_at', label: 'Expires', value: (s) => s.whoami.token.expires_at, kind: 'time', empty: 'never' },
  { key: 'server_version', label: 'Server', value: (s) => `tokens ${s.whoami.server.version} (secrets start ${s.whoami.server.secret_prefix}_)` },
  {
    key: 'ca_file',
    label: 'Trusted CA',
    value: (s) => (s.target.ca ? `${s.target.ca.file} (from ${s.target.ca.source})` : s.target.apiUrl.startsWith('https:') ? "the system's" : 'none (plain http)'),
  },
];

/** What the session is read from (the command context has all of it). */
interface SessionSource {
  io: IO;
  clock(): number;
  target(): Promise<ApiTarget>;
  credential(): Promise<Credential>;
  api(): Promise<TokensApi>;
}

export async function currentSession(ctx: SessionSource): Promise<RecordResult<Session>> {
  const target = await ctx.target();
  const credential = await ctx.credential();
  const whoami = await (await ctx.api()).whoami();
  const session: Session = { target, credential, whoami };
  // Stored credentials were already checked against what login recorded; this covers TOKENS_TOKEN too.
  if (credential.source === 'env' || credential.source === 'token-stdin') {
    const warning = expiryWarning(whoami.token.expires_at, ctx.clock(), `the credential from ${credential.origin} (${whoami.token.name})`);
    if (warning) ctx.io.warn(warning);
  }
  return {
    type: 'record',
    item: session,
    fields: FIELDS,
    id: whoami.token.id,
    json: {
      ...whoami.token,
      profile: target.profile,
      api_url: target.apiUrl,
      api_url_source: target.urlSource,
      ca_file: target.ca?.file ?? null,
      credential_source: SOURCE_LABELS[credential.source],
      server: whoami.server,
    },
  };
}
