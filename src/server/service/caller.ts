// Who is calling a service: the authenticated token, from which address, in which request.
import type { TokenRecord } from '../store/types.js';

export interface Caller {
  token: TokenRecord;
  ip: string;
  requestId: string;
}
