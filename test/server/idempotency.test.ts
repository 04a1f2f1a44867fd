// Idempotency-Key: a second request while the first is still running gets 409, and the stored
// replay cannot be read without the key itself.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, createSecretKey } from 'node:crypto';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { createAppContext } from '../../src/server/context.js';
import { Idempotency } from '../../src/server/service/idempotency.js';
import { problemFor } from '../../src/server/problems.js';
import { DomainError } from '../../src/server/service/errors.js';
import { Peppers } from '../../src/server/pepper.js';
import { makeToken } from '../store/conformance.js';

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-idem-'));
  const store = new SqliteStore(join(dir, 'db'));
  await store.migrate();
  const { deps } = createAppContext({ store, peppers: new Peppers([{ version: 1, key: createSecretKey(randomBytes(32)) }]), secretPrefix: 'tkn', logger: false });
  const caller = { token: makeToken(), ip: '127.0.0.1', requestId: 'r1' };
  return { dir, store, idem: new Idempotency(deps), caller };
}

describe('Idempotency', () => {
  it('answers 409 to the same key while the first request is in flight', async () => {
    const { dir, store, idem, caller } = await setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = idem.run(caller, 'k1', 'create', { a: 1 }, async () => {
      await gate;
      return { status: 201, body: { secret: 'tkn_s' } };
    });
    const second = idem.run(caller, 'k1', 'create', { a: 1 }, async () => ({ status: 201, body: { secret: 'other' } }));
    const refused = await second.catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect(problemFor(refused as DomainError)).toMatchObject({ status: 409, code: 'idempotency_in_flight' });
    release();
    expect((await first).body).toEqual({ secret: 'tkn_s' });
    const replay = await idem.run(caller, 'k1', 'create', { a: 1 }, async () => ({ status: 201, body: { secret: 'never' } }));
    expect(replay).toEqual({ status: 201, body: { secret: 'tkn_s' }, replayed: true });
    // Another caller using the same key string gets its own, fresh execution.
    const otherCaller = { ...caller, token: makeToken() };
    const fresh = await idem.run(otherCaller, 'k1', 'create', { a: 1 }, async () => ({ status: 201, body: { secret: 'mine' } }));
    expect(fresh.replayed).toBe(false);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the replay encrypted: neither the key nor the body is in the database', async () => {
    const { dir, store, idem, caller } = await setup();
    const key = 'rotate-key-' + randomBytes(8).toString('hex');
    const secret = 'tkn_' + randomBytes(20).toString('hex');
    await idem.run(caller, key, 'create', {}, async () => ({ status: 201, body: { secret } }));
    const row = store.db.prepare('SELECT * FROM idempotency_keys').get() as Record<string, unknown>;
    const dump = JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(key);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
