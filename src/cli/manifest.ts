// The command manifest: names and one-line summaries for `tokens --help`, and a loader per command
// so that only the command being run is imported.
import type { CommandDefinition } from './define.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ default: CommandDefinition<any> }>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'login', summary: 'Store your credential for a profile (OS keychain), after checking it with the server', load: () => import('../commands/login.js') },
  { name: 'logout', summary: "Remove a profile's stored credential", load: () => import('../commands/logout.js') },
  { name: 'whoami', summary: 'Show the profile, API URL, credential source and the token you act as', load: () => import('../commands/whoami.js') },
  { name: 'profile', summary: 'List, add, switch and remove profiles (API URL and default output)', load: () => import('../commands/profile.js') },
  { name: 'create', summary: 'Create a token; its secret is shown once', load: () => import('../commands/create.js') },
  { name: 'list', summary: 'List tokens, with filters', load: () => import('../commands/list.js') },
  { name: 'show', summary: 'Show one token', load: () => import('../commands/show.js') },
  { name: 'update', summary: "Change a token's name, description, expiry, CIDRs, audiences, rate limit or metadata", load: () => import('../commands/update.js') },
  { name: 'scopes', summary: "Edit a token's scopes, or the catalog of custom scopes", load: () => import('../commands/scopes.js') },
  { name: 'rotate', summary: 'Replace tokens with successors holding new secrets, delivered and checked', load: () => import('../commands/rotate/index.js') },
  { name: 'revoke', summary: 'Revoke tokens for good: by name, by filters, or by leaked secret', load: () => import('../commands/revoke/index.js') },
  { name: 'suspend', summary: 'Suspend tokens until they are resumed', load: () => import('../commands/suspend.js') },
  { name: 'resume', summary: 'Resume suspended tokens', load: () => import('../commands/resume.js') },
  { name: 'audit', summary: 'Read the audit log', load: () => import('../commands/audit.js') },
  { name: 'check', summary: 'Report tokens that need attention; exit 8 when there are any', load: () => import('../commands/check.js') },
  { name: 'export', summary: 'Export all token metadata and the scope catalog as JSON (never secrets)', load: () => import('../commands/export.js') },
  { name: 'server', summary: 'Run the management API server (embedded SQLite store by default)', load: () => import('../commands/server.js') },
  { name: 'completion', summary: 'Print the shell completion script for bash, zsh or fish', load: () => import('../commands/completion.js') },
];
