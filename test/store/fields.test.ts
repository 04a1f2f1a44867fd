// The field tables (src/server/store/fields.ts) name the columns and the API's fields alike: the
// shapes built from them are exactly the documented schemas.
import { describe, expect, it } from 'vitest';
import { AuditEvent, Token } from '../../src/shared/schemas.js';
import { auditToWire, tokenToWire } from '../../src/server/service/wire.js';
import { makeToken } from './conformance.js';

describe('wire shapes from the field tables', () => {
  it('give a token every field of the Token schema, in its order, and nothing stored only', () => {
    const now = Date.UTC(2030, 0, 1);
    const t = makeToken({ createdAt: now - 1000, expiresAt: now - 1, rateLimit: { requests: 5, perSeconds: 60 }, pendingOverlapSeconds: 0 });
    const wire = tokenToWire(t, now);
    expect(Object.keys(wire)).toEqual(Object.keys(Token.properties));
    expect(wire).toMatchObject({
      rate_limit: { requests: 5, per_seconds: 60 },
      status: 'expired',
      created_at: new Date(now - 1000).toISOString(),
      expires_at: new Date(now - 1).toISOString(),
      last_used_at: null,
      rotation_pending: true,
      allowed_cidrs: t.allowedCidrs,
    });
    expect(tokenToWire({ ...t, rateLimit: null, pendingOverlapSeconds: null, expiresAt: null }, now)).toMatchObject({ rate_limit: null, rotation_pending: false, status: 'active' });
  });

  it('give an audit event every field of the AuditEvent schema, in its order', () => {
    const event = { id: 'evt_1', at: 0, actor: 'tok_a', actorIp: '::1', action: 'token.revoked', target: 'tok_b', reason: 'leaked', requestId: 'r1', details: { n: 1 } };
    const wire = auditToWire(event);
    expect(Object.keys(wire)).toEqual(Object.keys(AuditEvent.properties));
    expect(wire).toEqual({ id: 'evt_1', at: '1970-01-01T00:00:00.000Z', actor: 'tok_a', actor_ip: '::1', action: 'token.revoked', target: 'tok_b', reason: 'leaked', request_id: 'r1', details: { n: 1 } });
  });
});
