// Console sessions (README, Console): a token secret is exchanged once for a random session id that
// the browser keeps in an HttpOnly cookie; only the id's SHA-256 is stored. Every request reads the
// session together with its token in one lookup, so the session can do exactly what the token can
// do now, and a revoked, suspended, expired or narrowed token ends it. Token changes announced on
// the change bus (this instance's own, and other instances' through a shared store's feed) end the
// affected sessions at once and tell their open event streams.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionRecord, TokenRecord } from '../store/types.js';
import type { Caller } from './caller.js';
import { assertUsableFrom } from './authn.js';
import type { ServiceDeps } from './deps.js';
import { DomainError } from './errors.js';
import { effectiveStatus } from './wire.js';

export type SessionEnd = 'signed_out' | 'expired' | 'idle' | 'token_revoked' | 'token_suspended' | 'token_expired' | 'scopes_changed' | 'unknown';

const END_MESSAGES: Record<SessionEnd, string> = {
  signed_out: 'you signed out',
  expired: 'it reached its maximum lifetime',
  idle: 'it was idle for too long',
  token_revoked: 'its token was revoked',
  token_suspended: 'its token was suspended',
  token_expired: 'its token expired',
  scopes_changed: 'its token lost a scope it had at sign-in',
  unknown: 'it ended or never existed',
};

export interface SessionSettings {
  /** The session ends after this long without a request. */
  idleTimeoutMs: number;
  /** …and this long after sign-in whatever happens. */
  lifetimeMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleTimeoutMs: 30 * 60_000, lifetimeMs: 12 * 3_600_000 };

export interface ActiveSession {
  record: SessionRecord;
  token: TokenRecord;
}

/** 401 for a request whose session is over; `reason` says why, for the console to tell the user. */
function sessionEnded(reason: SessionEnd): DomainError {
  return new DomainError('unauthenticated', 'session_ended', `not signed in: the console session ended because ${END_MESSAGES[reason]}`);
}

export const hashSessionId = (id: string): Buffer => createHash('sha256').update(id).digest();

export class SessionService {
  /** Open event streams by session (id hash, hex): told when their session ends. */
  private readonly watchers = new Map<string, Set<(end: SessionEnd) => void>>();
  private readonly touchEveryMs: number;

  constructor(
    private readonly deps: ServiceDeps,
    readonly settings: SessionSettings,
  ) {
    // lastSeenAt is written at most this often: idle time is measured to within a tenth of the timeout.
    this.touchEveryMs = Math.min(60_000, Math.floor(settings.idleTimeoutMs / 10));
  }

  /** Proof of same origin for state changes: derived from the session id, so nothing more is stored. */
  csrfToken(id: string): string {
    return createHmac('sha256', id).update('tokens console csrf').digest('base64url');
  }

  csrfMatches(id: string, presented: string | undefined): boolean {
    if (!presented) return false;
    const expected = Buffer.from(this.csrfToken(id));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Starts a session for a token the caller has just authenticated; returns the id for the cookie. */
  async signIn(caller: Caller): Promise<{ id: string; record: SessionRecord }> {
    const now = this.deps.clock();
    const id = randomBytes(32).toString('base64url');
    const token = caller.token;
    const record: SessionRecord = {
      idHash: hashSessionId(id),
      tokenId: token.id,
      scopes: [...token.scopes],
      createdAt: now,
      lastSeenAt: now,
      expiresAt: Math.min(now + this.settings.lifetimeMs, token.expiresAt ?? Infinity),
      endedReason: null,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.insertSession(record);
      await this.deps.audit.record(tx, caller, { action: 'session.started', target: token.id, details: { expires_at: new Date(record.expiresAt).toISOString() } });
    });
    return { id, record };
  }

  /** Why a session is over now, or null when it may go on. */
  private endReason(session: SessionRecord, token: TokenRecord | null, now: number, idle = true): SessionEnd | null {
    if (session.endedReason) return session.endedReason in END_MESSAGES ? (session.endedReason as SessionEnd) : 'unknown';
    if (!token) return 'token_revoked';
    const status = effectiveStatus(token, now);
    if (status === 'revoked') return 'token_revoked';
    if (status === 'suspended') return 'token_suspended';
    if (status === 'expired') return 'token_expired';
    if (session.scopes.some((s) => !token.scopes.includes(s))) return 'scopes_changed';
    if (session.expiresAt <= now) return 'expired';
    if (idle && now - session.lastSeenAt >= this.settings.idleTimeoutMs) return 'idle';
    return null;
  }

  /** The session with its token as they are now, or why it is over (then it is forgotten). */
  private async check(idHash: Buffer, activity: boolean): Promise<ActiveSession | SessionEnd> {
    const found = await this.deps.store.getSessionWithToken(idHash);
    if (!found) return 'unknown';
    const now = this.deps.clock();
    const reason = this.endReason(found.session, found.token, now);
    if (reason) {
      if (!found.session.endedReason) await this.end(idHash, reason);
      return reason;
    }
    if (activity && now - found.session.lastSeenAt >= this.touchEveryMs) {
      await this.deps.store.touchSession(idHash, now);
      found.session.lastSeenAt = now;
    }
    return { record: found.session, token: found.token! };
  }

  /**
   * The live session behind a cookie's id, with its token as it is now; throws `session_ended` (401)
   * when it is over, and forbidden when the token may not be used from `ip`.
   */
  async resolve(id: string, ip: string): Promise<ActiveSession> {
    const session = await this.check(hashSessionId(id), true);
    if (typeof session === 'string') throw sessionEnded(session);
    assertUsableFrom(session.token, ip);
    return session;
  }

  async signOut(id: string, caller: Caller): Promise<void> {
    const idHash = hashSessionId(id);
    await this.deps.store.transaction(async (tx) => {
      await tx.deleteSession(idHash);
      await this.deps.audit.record(tx, caller, { action: 'session.ended', target: caller.token.id, reason: 'signed out' });
    });
    this.tellWatchers(idHash, 'signed_out');
  }

  /** Marks it ended rather than deleting it, so that the next request can be told why; the sweep deletes it. */
  private async end(idHash: Buffer, reason: SessionEnd): Promise<void> {
    await this.deps.store.endSession(idHash, reason);
    this.tellWatchers(idHash, reason);
  }

  private tellWatchers(idHash: Buffer, reason: SessionEnd): void {
    for (const tell of this.watchers.get(idHash.toString('hex')) ?? []) tell(reason);
  }

  /**
   * Calls `onEnd` once when the session ends — by sign-out, a token change, its lifetime or idle
   * time — and returns the function that stops watching. The stream itself is not activity.
   */
  watch(id: string, session: ActiveSession, onEnd: (reason: SessionEnd, message: string) => void): () => void {
    const idHash = hashSessionId(id);
    const key = idHash.toString('hex');
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const stop = () => {
      done = true;
      clearTimeout(timer);
      const set = this.watchers.get(key);
      set?.delete(tell);
      if (set?.size === 0) this.watchers.delete(key);
    };
    const tell = (reason: SessionEnd) => {
      if (done) return;
      stop();
      onEnd(reason, `the console session ended because ${END_MESSAGES[reason]}`);
    };
    // Wake up when the session could next end by time alone, and look again.
    const schedule = (record: SessionRecord, token: TokenRecord) => {
      const deadline = Math.min(record.expiresAt, record.lastSeenAt + this.settings.idleTimeoutMs, token.expiresAt ?? Infinity);
      timer = setTimeout(() => void recheck(), Math.min(Math.max(deadline - this.deps.clock(), 0) + 50, 2 ** 31 - 1));
      timer.unref();
    };
    const recheck = async () => {
      try {
        const again = await this.check(idHash, false);
        if (typeof again === 'string') tell(again);
        else if (!done) schedule(again.record, again.token);
      } catch {
        // The store is unreachable for now: look again shortly.
        if (!done) timer = setTimeout(() => void recheck(), 1000).unref();
      }
    };
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(tell);
    schedule(session.record, session.token);
    return stop;
  }

  /**
   * Tokens changed (here, or on another instance): end their sessions that may not go on, at once,
   * whether or not a request comes. One query for the sessions, one per token that has any.
   */
  async tokensChanged(ids: readonly string[]): Promise<void> {
    const affected = await this.deps.store.sessionsOfTokens(ids);
    if (!affected.length) return;
    const now = this.deps.clock();
    for (const tokenId of new Set(affected.map((s) => s.tokenId))) {
      const token = await this.deps.store.getToken(tokenId);
      for (const session of affected.filter((s) => s.tokenId === tokenId)) {
        const reason = this.endReason(session, token, now, false);
        if (!reason) continue;
        // Another instance sharing the store may have marked it ended first: this one's streams still hear of it.
        if (session.endedReason) this.tellWatchers(session.idHash, reason);
        else await this.end(session.idHash, reason);
      }
    }
  }

  /** Changes may have been missed (a shared store's feed was down): look again at every watched session. */
  async recheckWatched(): Promise<void> {
    for (const key of [...this.watchers.keys()]) await this.check(Buffer.from(key, 'hex'), false);
  }

  /** Drops sessions that are over by time, so the table does not grow with abandoned ones. */
  sweep(): Promise<number> {
    const now = this.deps.clock();
    return this.deps.store.deleteExpiredSessions(now, now - this.settings.idleTimeoutMs);
  }
}
