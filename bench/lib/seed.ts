// Seeds an embedded store directly (one transaction, no API): `count` tokens, of which `withSecrets`
// get real secrets the benchmarks can present, plus an admin token and gateway tokens with `verify`.
// The rest get random digests: realistic rows and index size, no HMAC to pay for.
import { randomBytes } from 'node:crypto';
import { loadOrCreatePepperFile } from '../../src/server/pepper.js';
import { blankToken } from '../../src/server/service/tokens.js';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import type { TokenRecord } from '../../src/server/store/types.js';
import { newId } from '../../src/shared/ids.js';
import { generateSecret, secretStart } from '../../src/shared/secret.js';

export interface Seeded {
  admin: string;
  gateway: string;
  /** More tokens with `verify`, each never presented yet. */
  spareGateways: string[];
  clients: string[];
  seconds: number;
}

export async function seedStore(dbPath: string, count: number, withSecrets: number, spareGateways = 0): Promise<Seeded> {
  const started = performance.now();
  const peppers = loadOrCreatePepperFile(`${dbPath}.pepper`);
  const store = new SqliteStore(dbPath);
  await store.migrate();
  // Random digests land all over the unique index: keep it in memory while it is built.
  store.db.exec('PRAGMA cache_size = -262144');
  const now = Date.now();
  const issue = (name: string, scopes: string[], secret: string | null): TokenRecord => ({
    ...blankToken(),
    id: newId('tok', now),
    name,
    scopes,
    start: secret ? secretStart(secret) : `tkn_${randomBytes(4).toString('hex').slice(0, 6)}`,
    createdAt: now,
    secretHash: secret ? peppers.digest(secret) : randomBytes(32),
    pepperVersion: peppers.current.version,
  });
  const admin = generateSecret('tkn');
  const gateway = generateSecret('tkn');
  const clients: string[] = [];
  const spares = Array.from({ length: spareGateways }, () => generateSecret('tkn'));
  await store.transaction(async (tx) => {
    await tx.insertScope({ name: 'query', description: 'benchmark scope', createdAt: now, createdBy: null });
    await tx.insertToken(issue('bench-admin', ['management'], admin));
    await tx.insertToken(issue('bench-gateway', ['verify'], gateway));
    for (const [i, spare] of spares.entries()) await tx.insertToken(issue(`bench-gateway-${i}`, ['verify'], spare));
    for (let i = 0; i < count; i++) {
      const secret = i < withSecrets ? generateSecret('tkn') : null;
      if (secret) clients.push(secret);
      await tx.insertToken(issue(`seed-${i}`, ['query'], secret));
    }
  });
  await store.close();
  return { admin, gateway, spareGateways: spares, clients, seconds: (performance.now() - started) / 1000 };
}
