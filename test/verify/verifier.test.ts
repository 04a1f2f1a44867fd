// The verifier's parts in isolation: single-flight under real concurrency, the cache bound and TTL,
// rate limiting, trusted-proxy addresses and the prepared HMAC.
import { createHmac, createSecretKey, hash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Peppers } from '../../src/server/pepper.js';
import type { Authenticator } from '../../src/server/service/authn.js';
import { blankToken } from '../../src/server/service/tokens.js';
import type { TokenRecord } from '../../src/server/store/types.js';
import { Metrics } from '../../src/server/metrics.js';
import { BoundedCache } from '../../src/server/verify/cache.js';
import { ClientAddress } from '../../src/server/verify/client-address.js';
import { HotCounters } from '../../src/server/verify/counters.js';
import { TokenRateLimiter } from '../../src/server/verify/rate-limit.js';
import { Verifier } from '../../src/server/verify/verifier.js';
import { generateSecret } from '../../src/shared/secret.js';

function record(over: Partial<TokenRecord> = {}): TokenRecord {
  return { ...blankToken(), id: 'tok_x', name: 'x', scopes: ['query'], start: 'tkn_abc', createdAt: Date.now(), secretHash: Buffer.alloc(32), pepperVersion: 1, ...over };
}

function verifierWith(find: (secret: string) => Promise<TokenRecord | null>, clock = Date.now) {
  const peppers = new Peppers([{ version: 1, key: createSecretKey(randomBytes(32)) }]);
  let queries = 0;
  const authn = {
    findByDigest: async (secret: string) => {
      queries++;
      return find(secret);
    },
  } as unknown as Authenticator;
  const verifier = new Verifier({ authn, peppers, secretPrefix: 'tkn', clock, counters: new HotCounters(new Metrics()) }, { ttlMs: 1000, missTtlMs: 1000 });
  return { verifier, queries: () => queries };
}

const open = { scopes: [], audiences: [], ip: '127.0.0.1' };

describe('single flight', () => {
  it('one slow store lookup serves every concurrent caller of one digest', async () => {
    const { verifier, queries } = verifierWith(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return record();
    });
    const secret = generateSecret('tkn');
    const verdicts = await Promise.all(Array.from({ length: 200 }, () => verifier.verify(secret, open)));
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(queries()).toBe(1);
    // A second, different digest is its own lookup.
    await verifier.verify(generateSecret('tkn'), open);
    expect(queries()).toBe(2);
  });

  it('a change notice during a lookup keeps its stale answer out of the cache', async () => {
    let status: TokenRecord['status'] = 'active';
    const { verifier, queries } = verifierWith(async () => {
      const snapshot = record({ status });
      await new Promise((r) => setTimeout(r, 20));
      return snapshot;
    });
    const secret = generateSecret('tkn');
    const first = verifier.verify(secret, open);
    status = 'revoked';
    verifier.invalidate(['tok_x']);
    expect((await first).ok).toBe(true); // it began before the change
    expect(await verifier.verify(secret, open)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(queries()).toBe(2);
  });

  it('a failed lookup is not cached and is tried again', async () => {
    let fail = true;
    const { verifier, queries } = verifierWith(async () => {
      if (fail) throw new Error('store down');
      return record();
    });
    const secret = generateSecret('tkn');
    await expect(verifier.verify(secret, open)).rejects.toThrow('store down');
    fail = false;
    expect((await verifier.verify(secret, open)).ok).toBe(true);
    expect(queries()).toBe(2);
  });
});

describe('cache', () => {
  it('is bounded, least recently used out first, and expires entries', () => {
    let now = 0;
    const removed: string[] = [];
    const cache = new BoundedCache<number>(3, 100, () => now, (key) => removed.push(key));
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 4);
    expect(cache.get('b')).toBeUndefined();
    expect(removed).toEqual(['b']);
    expect(cache.size).toBe(3);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(removed).toEqual(['b', 'a']);
  });

  it('found tokens are re-read after their time to live', async () => {
    let now = 1_000_000;
    const { verifier, queries } = verifierWith(async () => record({ createdAt: now }), () => now);
    const secret = generateSecret('tkn');
    await verifier.verify(secret, open);
    await verifier.verify(secret, open);
    expect(queries()).toBe(1);
    now += 1001;
    await verifier.verify(secret, open);
    expect(queries()).toBe(2);
  });

  it('two secrets filed in the same slot are each answered as themselves', async () => {
    // The cache files a digest under its first 30 bits: find two secrets that share them (a birthday
    // search over a few tens of thousands of secrets).
    const slot = (secret: string) => hash('sha256', secret, 'hex').slice(0, 8);
    const seen = new Map<string, string>();
    let pair: [string, string] | null = null;
    while (pair === null) {
      const secret = generateSecret('tkn');
      const key = (parseInt(slot(secret), 16) >>> 2).toString(16);
      const other = seen.get(key);
      if (other !== undefined) pair = [other, secret];
      else seen.set(key, secret);
    }
    const [a, b] = pair;
    const { verifier, queries } = verifierWith(async (secret) => (secret === a ? record({ id: 'tok_a' }) : secret === b ? record({ id: 'tok_b' }) : null));
    const idOf = async (secret: string) => {
      const verdict = await verifier.verify(secret, open);
      return verdict.ok ? verdict.token.id : verdict.reason;
    };
    expect(await idOf(a)).toBe('tok_a');
    expect(await idOf(a)).toBe('tok_a');
    expect(queries()).toBe(1);
    // b takes the slot over; a is read from the store again, and so on: never the other's token.
    expect(await idOf(b)).toBe('tok_b');
    expect(await idOf(a)).toBe('tok_a');
    expect(await idOf(b)).toBe('tok_b');
    expect(queries()).toBe(4);
    // A change notice for the token that left the slot drops nothing of the other's.
    verifier.invalidate(['tok_a']);
    expect(await idOf(b)).toBe('tok_b');
    expect(queries()).toBe(4);
  });

  it('expiry is checked on every call, cached or not', async () => {
    let now = 1_000_000;
    const { verifier } = verifierWith(async () => record({ expiresAt: now + 50 }), () => now);
    const secret = generateSecret('tkn');
    expect((await verifier.verify(secret, open)).ok).toBe(true);
    now += 50;
    expect(await verifier.verify(secret, open)).toMatchObject({ ok: false, reason: 'expired' });
  });
});

describe('caller recheck (the per-connection memo of a gateway token)', () => {
  it('answers only while the cached copy is current', async () => {
    let now = 1_000_000;
    const { verifier } = verifierWith(async () => record({ id: 'tok_gw', scopes: ['verify'] }), () => now);
    const secret = generateSecret('tkn');
    const first = await verifier.authorizeCaller(secret, 'verify', '127.0.0.1');
    expect(first.ok).toBe(true);
    const token = (first as { token: Parameters<Verifier['recheckCaller']>[0] }).token;
    expect(verifier.recheckCaller(token, 'verify', '127.0.0.1')?.ok).toBe(true);
    expect(verifier.recheckCaller(token, 'management', '127.0.0.1')).toMatchObject({ ok: false, reason: 'scope' });
    now += 1001; // past the cache's time to live
    expect(verifier.recheckCaller(token, 'verify', '127.0.0.1')).toBeNull();
    const again = await verifier.authorizeCaller(secret, 'verify', '127.0.0.1');
    const fresh = (again as { token: Parameters<Verifier['recheckCaller']>[0] }).token;
    expect(verifier.recheckCaller(fresh, 'verify', '127.0.0.1')?.ok).toBe(true);
    verifier.invalidate(['tok_gw']);
    expect(verifier.recheckCaller(fresh, 'verify', '127.0.0.1')).toBeNull();
  });
});

describe('rate limiter', () => {
  it('lets a burst of `requests` through, then refills at requests/per_seconds', () => {
    const limiter = new TokenRateLimiter();
    const limit = { requests: 2, perSeconds: 10 };
    expect(limiter.take('t', limit, 0)).toBe(0);
    expect(limiter.take('t', limit, 0)).toBe(0);
    expect(limiter.take('t', limit, 0)).toBe(5);
    expect(limiter.take('t', limit, 4_999)).toBe(1);
    expect(limiter.take('t', limit, 5_000)).toBe(0);
    // A changed limit starts a fresh bucket.
    expect(limiter.take('t', { requests: 5, perSeconds: 10 }, 5_000)).toBe(0);
  });

  it('keeps a bounded number of buckets', () => {
    const limiter = new TokenRateLimiter(10);
    for (let i = 0; i < 50; i++) limiter.take(`t${i}`, { requests: 1, perSeconds: 1 }, 0);
    expect(limiter.size).toBe(10);
  });
});

describe('client address', () => {
  const headers = (h: Record<string, string>) => h;
  it('believes forwarding headers only from trusted proxies', () => {
    const none = new ClientAddress([]);
    expect(none.of('127.0.0.1', headers({ 'x-forwarded-for': '10.0.0.1' }))).toBe('127.0.0.1');
    const trusted = new ClientAddress(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(trusted.of('::ffff:127.0.0.1', headers({ 'x-forwarded-for': '203.0.113.9' }))).toBe('203.0.113.9');
    expect(trusted.of('127.0.0.1', headers({ 'x-forwarded-for': '203.0.113.9, 10.1.1.1, 10.2.2.2' }))).toBe('203.0.113.9');
    expect(trusted.of('127.0.0.1', headers({ 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 10.2.2.2' }))).toBe('203.0.113.9');
    expect(trusted.of('127.0.0.1', headers({ 'x-forwarded-for': '10.1.1.1' }))).toBe('10.1.1.1');
    expect(trusted.of('::1', headers({ 'x-real-ip': '2001:db8::7' }))).toBe('2001:db8::7');
    expect(trusted.of('127.0.0.1', headers({ 'x-forwarded-for': 'junk' }))).toBeNull();
    expect(trusted.of('127.0.0.1', headers({ 'x-real-ip': 'junk' }))).toBeNull();
    expect(trusted.of('192.0.2.1', headers({ 'x-real-ip': '10.0.0.1' }))).toBe('192.0.2.1');
  });

  it('understands the named ranges and refuses nonsense', () => {
    expect(new ClientAddress(['loopback']).of('127.0.0.5', { 'x-forwarded-for': '192.0.2.1' })).toBe('192.0.2.1');
    expect(() => new ClientAddress(['not-a-cidr'])).toThrow(/not-a-cidr/);
  });
});

describe('prepared HMAC', () => {
  it('equals createHmac for every key length and message', () => {
    for (const length of [16, 32, 64, 65, 100]) {
      const raw = randomBytes(length);
      const peppers = new Peppers([{ version: 3, key: createSecretKey(raw) }]);
      for (const message of ['', 'tkn_x', generateSecret('tkn'), 'é€😀'.repeat(40), 'x'.repeat(341), 'x'.repeat(342), 'y'.repeat(5000)]) {
        expect(peppers.digest(message).equals(createHmac('sha256', raw).update(message).digest())).toBe(true);
      }
    }
  });
});

describe('parsing on the hot path', () => {
  it('the secret checksum is zlib CRC-32, and a single changed character fails it', async () => {
    const { crc32 } = await import('node:zlib');
    const { isWellFormedSecret, parseSecret } = await import('../../src/shared/secret.js');
    const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < 200; i++) {
      const secret = generateSecret(i % 2 ? 'tkn' : 'acme7');
      const body = secret.slice(0, -6);
      let value = crc32(body) >>> 0;
      let expected = '';
      for (let d = 0; d < 6; d++, value = Math.floor(value / 62)) expected = base62[value % 62] + expected;
      expect(secret.slice(-6)).toBe(expected);
      expect(isWellFormedSecret(secret)).toBe(true);
      const at = 4 + (i % 38) + (i % 2 ? 0 : 2);
      const changed = secret.slice(0, at) + (secret[at] === 'a' ? 'b' : 'a') + secret.slice(at + 1);
      expect(isWellFormedSecret(changed)).toBe(false);
      expect(parseSecret(changed)).toBeNull();
    }
    expect(isWellFormedSecret(generateSecret('tkn'), 'tk')).toBe(false);
    expect(isWellFormedSecret(`é${generateSecret('tkn')}`)).toBe(false);
  });

  it('form bodies decode as URLSearchParams does, the first repeated field winning', async () => {
    const { parseForm } = await import('../../src/server/verify/form.js');
    const cases = ['', 'a=1', 'a=1&a=2', 'a', 'a=', '=x', '&&a=1&&', 'a=%zz', '%%%token=%zz', 'a=b%20c+d', 'a=%C3', 'a=%C3%A9', 'k%3D=v%26', 'a=b=c', '+a+=+b+', '__proto__=1&constructor=2'];
    for (const text of cases) {
      const expected: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(text)) if (!Object.hasOwn(expected, k)) expected[k] = v;
      expect(parseForm(text), text).toEqual(expected);
    }
  });
});
