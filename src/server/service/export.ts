// GET /v1/export: every token's metadata and the scope catalog, never a secret; the export is audited.
import { SCHEMA_VERSION, type Export } from '../../shared/schemas.js';
import { NEEDS, requireScope } from './authz.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import type { ScopeService } from './scopes.js';
import { tokenToWire } from './wire.js';

const BATCH = 1000;

export class ExportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly scopes: ScopeService,
  ) {}

  async export(caller: Caller): Promise<Export> {
    requireScope(caller.token, NEEDS.manage);
    const now = this.deps.clock();
    const tokens = [];
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.deps.store.listTokens({ now, afterId, limit: BATCH });
      tokens.push(...batch.map((t) => tokenToWire(t, now)));
      if (batch.length < BATCH) break;
      afterId = batch[batch.length - 1]!.id;
    }
    const scopes = (await this.scopes.list(caller)).data;
    await this.deps.store.transaction((tx) =>
      this.deps.audit.record(tx, caller, { action: 'tokens.exported', target: 'export', details: { tokens: tokens.length } }),
    );
    return { schema_version: SCHEMA_VERSION, exported_at: new Date(now).toISOString(), tokens, scopes };
  }
}
