// What every service call needs: the store, the secret settings, a clock, and who is calling.
import type { Peppers } from '../pepper.js';
import type { Store, TokenRecord } from '../store/types.js';

export interface ServiceDeps {
  store: Store;
  peppers: Peppers;
  secretPrefix: string;
  clock: () => number;
  /** Told after commit which tokens changed, so verify caches drop them. */
  onTokensChanged: (ids: string[]) => void;
}

export interface Caller {
  token: TokenRecord;
  ip: string;
  requestId: string;
}
