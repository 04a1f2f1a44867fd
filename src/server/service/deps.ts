// What every service is built with: the store, the secret settings, a clock, the audit writer and
// where committed changes are announced. One set, made in ../context.ts.
import type { Peppers } from '../pepper.js';
import type { Store } from '../store/types.js';
import type { AuditWriter } from './audit-writer.js';

/** Where services announce, after commit, which tokens changed (the change bus in ../context.ts). */
export interface TokenChanges {
  tokensChanged(ids: readonly string[]): void;
  /** Drop everything cached on this instance (a restore brings back secrets it may have refused). */
  reset(): void;
}

export interface ServiceDeps {
  store: Store;
  peppers: Peppers;
  secretPrefix: string;
  clock: () => number;
  audit: AuditWriter;
  changes: TokenChanges;
}
