// The command manifest: names and one-line summaries for `tokens --help`, and a loader per command
// so that only the command being run is imported.
import type { CommandDefinition } from './types.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ default: CommandDefinition<any> }>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'server', summary: 'Run the management API server (embedded SQLite store by default)', load: () => import('./server.js') },
];
