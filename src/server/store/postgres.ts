// Placeholder until the PostgreSQL store lands: the flag is accepted and refused with a clear message.
import type { Store } from './types.js';

export function openPostgresStore(_url: string): Store {
  throw new Error('the PostgreSQL store is not available in this version; use the embedded store (--db PATH)');
}
