// GET /v1/export: every token's metadata, the scope catalog, the policies and the webhooks (never their
// signing secrets) — and, when asked (include_hashes), every secret's digest with its pepper version,
// so that an import into a server with the same pepper makes the same secrets work. Never a secret.
// Audited, saying which kind it was.
import { EXPORT_SCHEMA_VERSIONS, type Export, type ExportedToken } from '../../shared/schemas.js';
import { VERSION } from '../../version.js';
import { NEEDS, requireScope } from './authz.js';
import { exportedToken } from './backup-format.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import type { ScopeService } from './scopes.js';
import { policyToWire } from './wire.js';
import { webhookToWire } from './webhooks.js';

const BATCH = 1000;

export class ExportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly scopes: ScopeService,
  ) {}

  async export(caller: Caller, opts: { includeHashes?: boolean } = {}): Promise<Export> {
    requireScope(caller.token, NEEDS.manage);
    const includeHashes = opts.includeHashes ?? false;
    const now = this.deps.clock();
    const tokens: ExportedToken[] = [];
    const pepperVersions = new Set<number>();
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.deps.store.listTokens({ now, afterId, limit: BATCH });
      for (const t of batch) {
        tokens.push(exportedToken(t, now, includeHashes));
        pepperVersions.add(t.pepperVersion);
      }
      if (batch.length < BATCH) break;
      afterId = batch[batch.length - 1]!.id;
    }
    const scopes = (await this.scopes.list(caller)).data;
    const policies = (await this.deps.store.listPolicies()).map(policyToWire);
    const webhooks = (await this.deps.store.listWebhooks()).map(webhookToWire);
    await this.deps.store.transaction((tx) =>
      this.deps.audit.record(tx, caller, {
        action: includeHashes ? 'tokens.exported_with_hashes' : 'tokens.exported',
        target: 'export',
        details: { tokens: tokens.length, include_hashes: includeHashes },
      }),
    );
    return {
      schema_version: EXPORT_SCHEMA_VERSIONS.at(-1)!,
      exported_at: new Date(now).toISOString(),
      server: { version: VERSION, secret_prefix: this.deps.secretPrefix },
      include_hashes: includeHashes,
      ...(includeHashes ? { peppers: [...pepperVersions].sort((a, b) => a - b).map((version) => ({ version, check: this.deps.peppers.check(version) ?? '' })) } : {}),
      tokens,
      scopes,
      policies,
      webhooks,
    };
  }
}
