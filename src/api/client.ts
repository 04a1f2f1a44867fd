// The management API (README, The API) as typed calls. Types come from the shared wire schemas (type-only).
import type {
  AuditEvent,
  CreateTokenBody,
  Export,
  ImportReport,
  ListAuditQuery,
  IntrospectResponse,
  ListTokensQuery,
  LookupByValueResponse,
  PatchTokenBody,
  Policy,
  PolicyList,
  PolicyRulesBody,
  RevokeByValueResponse,
  RotateResponse,
  RotationOutcome,
  Scope,
  ScopeListResponse,
  ScopesBody,
  Token,
  CreateWebhookBody,
  Delivery,
  ListDeliveriesQuery,
  TokenUsage,
  TokenUsageQuery,
  Webhook,
  WebhookList,
  WebhookWithSecret,
  TokenWithSecret,
  UsageRanking,
  UsageRankingQuery,
  Whoami,
} from '../shared/schemas.js';
import type { HttpClient, Query } from './http.js';

export type { AuditEvent, Delivery, Export, ImportReport, Policy, PolicyRulesBody, Scope, Token, TokenUsage, UsageRanking, Webhook, WebhookWithSecret, Whoami };

/** A fresh Idempotency-Key; the same one is sent on every retry of the call it belongs to. */
function newIdempotencyKey(): string {
  // node:crypto on first use: a read command never needs it.
  return `tokens-cli-${process.getBuiltinModule('node:crypto').randomUUID()}`;
}

const PAGE_SIZE = 500;

export class TokensApi {
  constructor(readonly http: HttpClient) {}

  private async *pages<T>(path: string, query: Query, max?: number): AsyncGenerator<T> {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const limit = max === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, max - seen);
      const { body } = await this.http.call<{ data: T[]; next_cursor: string | null }>('GET', path, { query: { ...query, limit, cursor } });
      for (const item of body.data) {
        yield item;
        if (max !== undefined && ++seen >= max) return;
      }
      cursor = body.next_cursor ?? undefined;
    } while (cursor);
  }

  async whoami(): Promise<Whoami> {
    return (await this.http.call<Whoami>('GET', '/v1/whoami')).body;
  }

  /** Every token matching the filters, following cursors (up to `max`). */
  async listTokens(query: Omit<ListTokensQuery, 'limit' | 'cursor'> = {}, max?: number): Promise<Token[]> {
    const out: Token[] = [];
    for await (const token of this.pages<Token>('/v1/tokens', query as Query, max)) out.push(token);
    return out;
  }

  async getToken(id: string): Promise<Token> {
    return (await this.http.call<Token>('GET', `/v1/tokens/${encodeURIComponent(id)}`)).body;
  }

  async createToken(body: CreateTokenBody, idempotencyKey = newIdempotencyKey()): Promise<TokenWithSecret> {
    return (await this.http.call<TokenWithSecret>('POST', '/v1/tokens', { body, idempotencyKey })).body;
  }

  async updateToken(id: string, patch: PatchTokenBody, ifMatch?: number): Promise<Token> {
    return (await this.http.call<Token>('PATCH', `/v1/tokens/${encodeURIComponent(id)}`, { body: patch, ifMatch, retry: ifMatch !== undefined })).body;
  }

  async editScopes(id: string, body: ScopesBody): Promise<Token> {
    // add/remove/set are idempotent: sending the same edit twice ends in the same scopes.
    return (await this.http.call<Token>('POST', `/v1/tokens/${encodeURIComponent(id)}/scopes`, { body, retry: true })).body;
  }

  /**
   * `pending`: the old token stays whole until finishRotation completes (applies the overlap) or
   * aborts (revokes the successor) it.
   */
  async rotateToken(id: string, overlapSeconds: number, idempotencyKey = newIdempotencyKey(), pending = false): Promise<RotateResponse> {
    const body = pending ? { overlap_seconds: overlapSeconds, pending } : { overlap_seconds: overlapSeconds };
    return (await this.http.call<RotateResponse>('POST', `/v1/tokens/${encodeURIComponent(id)}/rotate`, { body, idempotencyKey })).body;
  }

  /** Both steps are repeat-safe on the server: sending one again changes nothing. */
  async finishRotation(id: string, outcome: 'complete' | 'abort', reason?: string): Promise<RotationOutcome> {
    const body = reason === undefined ? {} : { reason };
    return (await this.http.call<RotationOutcome>('POST', `/v1/tokens/${encodeURIComponent(id)}/rotate/${outcome}`, { body, retry: true })).body;
  }

  /** Revokes by secret value (at most 1,000 per call); the caller splits larger lists. */
  async revokeByValue(secrets: string[], reason?: string): Promise<RevokeByValueResponse> {
    // Revoking twice is a success that changes nothing, so a lost response may be retried.
    const body = reason === undefined ? { secrets } : { secrets, reason };
    return (await this.http.call<RevokeByValueResponse>('POST', '/v1/tokens/revoke-by-value', { body, retry: true })).body;
  }

  /** Which tokens secrets belong to and whether they are live, changing nothing (at most 1,000 per call). */
  async lookupByValue(secrets: string[]): Promise<LookupByValueResponse> {
    return (await this.http.call<LookupByValueResponse>('POST', '/v1/tokens/lookup-by-value', { body: { secrets }, retry: true })).body;
  }

  /** RFC 7662 introspection of `secret` (the caller needs scope verify). */
  async introspect(secret: string, opts: { scope?: string[]; ip?: string } = {}): Promise<IntrospectResponse> {
    const body = { token: secret, ...(opts.scope?.length ? { scope: opts.scope.join(' ') } : {}), ...(opts.ip ? { ip: opts.ip } : {}) };
    return (await this.http.call<IntrospectResponse>('POST', '/v1/introspect', { body, retry: true })).body;
  }

  /** GET /v1/whoami presenting `secret` instead of the operator's credential. */
  async whoamiAs(secret: string): Promise<Whoami> {
    return (await this.http.call<Whoami>('GET', '/v1/whoami', { bearer: secret })).body;
  }

  async setTokenState(id: string, action: 'suspend' | 'resume' | 'revoke', reason?: string): Promise<Token> {
    // Suspending a suspended token, resuming an active one, revoking a revoked one: all no-ops.
    const body = reason === undefined ? {} : { reason };
    return (await this.http.call<Token>('POST', `/v1/tokens/${encodeURIComponent(id)}/${action}`, { body, retry: true })).body;
  }

  async listScopes(): Promise<Scope[]> {
    return (await this.http.call<ScopeListResponse>('GET', '/v1/scopes')).body.data;
  }

  async createScope(name: string, description?: string): Promise<Scope> {
    return (await this.http.call<Scope>('POST', '/v1/scopes', { body: { name, ...(description ? { description } : {}) } })).body;
  }

  async deleteScope(name: string): Promise<void> {
    await this.http.call('DELETE', `/v1/scopes/${encodeURIComponent(name)}`);
  }

  async listPolicies(): Promise<Policy[]> {
    return (await this.http.call<PolicyList>('GET', '/v1/policies')).body.data;
  }

  async setPolicy(scope: string, rules: PolicyRulesBody): Promise<Policy> {
    // A PUT of the whole policy: sending it twice ends in the same rules.
    return (await this.http.call<Policy>('PUT', `/v1/policies/${encodeURIComponent(scope)}`, { body: rules, retry: true })).body;
  }

  async removePolicy(scope: string): Promise<void> {
    await this.http.call('DELETE', `/v1/policies/${encodeURIComponent(scope)}`);
  }

  async listAudit(query: Omit<ListAuditQuery, 'limit' | 'cursor'>, max?: number): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    for await (const event of this.pages<AuditEvent>('/v1/audit', query as Query, max)) out.push(event);
    return out;
  }

  async tokenUsage(id: string, query: TokenUsageQuery): Promise<TokenUsage> {
    return (await this.http.call<TokenUsage>('GET', `/v1/tokens/${encodeURIComponent(id)}/usage`, { query: query as Query })).body;
  }

  async usageRanking(query: UsageRankingQuery): Promise<UsageRanking> {
    return (await this.http.call<UsageRanking>('GET', '/v1/usage', { query: query as Query })).body;
  }

  async createWebhook(body: CreateWebhookBody): Promise<WebhookWithSecret> {
    return (await this.http.call<WebhookWithSecret>('POST', '/v1/webhooks', { body })).body;
  }

  async listWebhooks(): Promise<Webhook[]> {
    return (await this.http.call<WebhookList>('GET', '/v1/webhooks')).body.data;
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.http.call('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
  }

  /** Queues a test event; the delivery it made is returned (state pending). */
  async testWebhook(id: string): Promise<Delivery> {
    return (await this.http.call<Delivery>('POST', `/v1/webhooks/${encodeURIComponent(id)}/test`, { body: {} })).body;
  }

  /** A webhook's deliveries, newest first, following cursors up to `max`. */
  async listDeliveries(id: string, query: Omit<ListDeliveriesQuery, 'limit' | 'cursor'> = {}, max?: number): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for await (const d of this.pages<Delivery>(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`, query as Query, max)) out.push(d);
    return out;
  }

  async export(opts: { includeHashes?: boolean } = {}): Promise<Export> {
    return (await this.http.call<Export>('GET', '/v1/export', { query: { include_hashes: opts.includeHashes || undefined } })).body;
  }

  /** `document` is the text of an export file, sent as it is. */
  async import(document: string, opts: { dryRun?: boolean } = {}): Promise<ImportReport> {
    // Importing twice changes nothing, so a lost response may be retried.
    return (await this.http.call<ImportReport>('POST', '/v1/import', { query: { dry_run: opts.dryRun || undefined }, rawJson: document, retry: true })).body;
  }
}

