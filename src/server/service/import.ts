// POST /v1/import (README, Backup and restore): an export document back into a server. The whole file
// is checked first — a bad field refuses all of it, naming the field — then everything is written in
// one transaction (a dry run rolls it back). Importing is idempotent: an item already there at the
// same version is skipped, and a newer version on the server is never overwritten. Items the server
// cannot take (a live name another token holds, a digest another token has) are refused one by one
// and reported, and the rest is restored. Webhooks come without their signing secrets: a restored one
// gets a new secret, returned once in the report.
import { randomBytes } from 'node:crypto';
import { hasRules, rulesOf } from '../../shared/policy-rules.js';
import { EXPORT_SCHEMA_VERSIONS, type Export, type ExportedToken, type ImportReport } from '../../shared/schemas.js';
import type { StoreOps, TokenRecord } from '../store/types.js';
import { isBuiltinScope, NEEDS, requireScope } from './authz.js';
import { isLive, policyFromExport, scopeFromExport, storedStatusOf, tokenFromExport } from './backup-format.js';
import type { Caller } from './caller.js';
import { normalizeCidr } from './cidr.js';
import type { ServiceDeps } from './deps.js';
import { DomainError } from './errors.js';
import { MAX_WEBHOOKS } from './webhooks.js';
import { newSigningSecret, sealSigningSecret } from '../webhooks/signing.js';
import { urlProblem } from '../webhooks/address-policy.js';

type Result = ImportReport['results'][number];
type ExportedPolicy = NonNullable<Export['policies']>[number];
type ExportedWebhook = NonNullable<Export['webhooks']>[number];

/** Digest lookups per query. */
const DIGEST_BATCH = 500;

/** Thrown inside the transaction of a dry run, so that everything it wrote is rolled back. */
class DryRun extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/** A file that cannot be imported as it is: nothing of it is written. */
function badFile(field: string, message: string): DomainError {
  return DomainError.invalidInput(`the file is not a valid export (nothing was imported): ${message}`, field);
}

const describeToken = (i: number, t: ExportedToken) => `tokens[${i}] (${t.name})`;

export class ImportService {
  constructor(private readonly deps: ServiceDeps) {}

  async import(caller: Caller, doc: Export, opts: { dryRun?: boolean } = {}): Promise<ImportReport> {
    requireScope(caller.token, NEEDS.manage);
    this.validate(doc);
    const includeHashes = doc.include_hashes ?? false;
    const written: string[] = [];
    let report: ImportReport;
    try {
      report = await this.deps.store.transaction(async (tx) => {
        written.length = 0;
        const { results, secretless } = await this.apply(tx, caller, doc, written);
        const count = (r: Result['result']) => results.filter((x) => x.result === r).length;
        const summary = { created: count('created'), updated: count('updated'), skipped: count('skipped'), refused: count('refused') };
        const done: ImportReport = {
          dry_run: Boolean(opts.dryRun),
          include_hashes: includeHashes,
          summary,
          results,
          notice: secretless
            ? `the file holds no secret digests: ${secretless} restored token${secretless === 1 ? ' has' : 's have'} no working secret; reissue each with "tokens rotate <token>" (export with --include-hashes to restore secrets)`
            : null,
        };
        await this.deps.audit.record(tx, caller, {
          action: 'tokens.imported',
          target: 'import',
          details: { schema_version: doc.schema_version, exported_at: doc.exported_at, include_hashes: includeHashes, ...summary },
        });
        if (opts.dryRun) throw new DryRun({ ...done, results: done.results.map(({ secret: _, ...r }) => r) });
        // Other instances may hold restored digests as unknown: they drop their caches at commit.
        if (written.length) await tx.announceRestore();
        return done;
      });
    } catch (err) {
      if (err instanceof DryRun) return err.report;
      throw err;
    }
    if (written.length) {
      this.deps.changes.tokensChanged(written);
      // Secrets this instance refused before the restore may be cached as unknown: forget them too.
      this.deps.changes.reset();
    }
    return report;
  }

  /** Everything the schema cannot say about a file; throws before anything is written. */
  private validate(doc: Export): void {
    if (!(EXPORT_SCHEMA_VERSIONS as readonly number[]).includes(doc.schema_version)) {
      throw badFile('schema_version', `schema_version ${doc.schema_version} is not one this server reads (${EXPORT_SCHEMA_VERSIONS.join(', ')})`);
    }
    const includeHashes = doc.include_hashes ?? false;
    const times = (field: string, what: string, values: (string | null | undefined)[]) => {
      for (const value of values) if (value && Number.isNaN(Date.parse(value))) throw badFile(field, `${what}: ${value} is not a real time`);
    };
    times('exported_at', 'exported_at', [doc.exported_at]);
    const ids = new Set<string>();
    for (const [i, t] of doc.tokens.entries()) {
      const at = (f: string) => `tokens/${i}/${f}`;
      const what = describeToken(i, t);
      if (ids.has(t.id)) throw badFile(at('id'), `${what}: id ${t.id} appears more than once`);
      ids.add(t.id);
      times(at('created_at'), what, [t.created_at, t.expires_at, t.last_used_at, t.revoked_at]);
      for (const [j, cidr] of t.allowed_cidrs.entries()) {
        if (!normalizeCidr(cidr)) throw badFile(at(`allowed_cidrs/${j}`), `${what}: allowed_cidrs[${j}] "${cidr}" is not an IPv4/IPv6 address or CIDR block`);
      }
      const restore = t.restore;
      if (restore) {
        if ((restore.status === 'revoked') !== (t.status === 'revoked')) {
          throw badFile(at('restore/status'), `${what}: status "${t.status}" and restore.status "${restore.status}" disagree`);
        }
        if ((restore.pending_overlap_seconds !== null) !== t.rotation_pending) {
          throw badFile(at('restore/pending_overlap_seconds'), `${what}: rotation_pending and restore.pending_overlap_seconds disagree`);
        }
      }
      const hasDigest = restore?.secret_hash !== undefined && restore.pepper_version !== undefined;
      if (includeHashes && !hasDigest) throw badFile(at('restore/secret_hash'), `${what}: include_hashes is true but it has no restore.secret_hash and restore.pepper_version`);
      if (!includeHashes && (restore?.secret_hash !== undefined || restore?.pepper_version !== undefined)) {
        throw badFile(at('restore/secret_hash'), `${what}: it carries a secret digest but include_hashes is not true`);
      }
    }
    const scopes = new Set<string>();
    for (const [i, s] of doc.scopes.entries()) {
      if (scopes.has(s.name)) throw badFile(`scopes/${i}/name`, `scopes[${i}]: ${s.name} appears more than once`);
      scopes.add(s.name);
      times(`scopes/${i}/created_at`, `scopes[${i}] (${s.name})`, [s.created_at]);
    }
    const policies = new Set<string>();
    for (const [i, p] of (doc.policies ?? []).entries()) {
      const what = `policies[${i}] (${p.scope})`;
      if (policies.has(p.scope)) throw badFile(`policies/${i}/scope`, `${what}: a second policy for the same scope`);
      policies.add(p.scope);
      times(`policies/${i}/updated_at`, what, [p.created_at, p.updated_at]);
      if (!hasRules(rulesOf(p))) throw badFile(`policies/${i}`, `${what}: a policy needs at least one rule`);
    }
    const webhooks = new Set<string>();
    for (const [i, w] of (doc.webhooks ?? []).entries()) {
      const what = `webhooks[${i}] (${w.id})`;
      if (webhooks.has(w.id)) throw badFile(`webhooks/${i}/id`, `${what}: appears more than once`);
      webhooks.add(w.id);
      times(`webhooks/${i}/created_at`, what, [w.created_at]);
      let url: URL | null = null;
      try {
        url = new URL(w.url);
      } catch {
        // reported below
      }
      const problem = url ? urlProblem(url) : 'not a URL';
      if (problem) throw badFile(`webhooks/${i}/url`, `${what}: url ${problem}`);
    }
    if (includeHashes) {
      const checks = new Map((doc.peppers ?? []).map((p) => [p.version, p.check]));
      const needed = [...new Set(doc.tokens.map((t) => t.restore!.pepper_version!))].sort((a, b) => a - b);
      const missing = needed.filter((v) => this.deps.peppers.check(v) === null);
      // Same version number, another pepper: the digests would never match a secret here.
      const other = needed.filter((v) => !missing.includes(v) && checks.has(v) && checks.get(v) !== this.deps.peppers.check(v));
      if (missing.length || other.length) {
        const has = this.deps.peppers.keys.map((k) => k.version).join(', ');
        const problems = [
          ...(missing.length ? [`pepper version${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this server does not have (it has ${has})`] : []),
          ...(other.length ? [`pepper version${other.length > 1 ? 's' : ''} ${other.join(', ')} that differ${other.length > 1 ? '' : 's'} from this server's`] : []),
        ];
        throw DomainError.unprocessable(
          'unknown_pepper_version',
          `the file's secret digests were made with ${problems.join(' and with ')}: start this server with the pepper of the one the file came from (TOKENS_PEPPER or --pepper-file); nothing was imported`,
        );
      }
      const prefix = doc.server?.secret_prefix;
      if (prefix !== undefined && prefix !== this.deps.secretPrefix) {
        throw DomainError.unprocessable(
          'secret_prefix_mismatch',
          `the file's secrets start with "${prefix}_" but this server accepts "${this.deps.secretPrefix}_": start it with --secret-prefix ${prefix}; nothing was imported`,
        );
      }
    }
  }

  /** The results, item by item, and how many live tokens came back without a working secret. */
  private async apply(tx: StoreOps, caller: Caller, doc: Export, written: string[]): Promise<{ results: Result[]; secretless: number }> {
    const now = this.deps.clock();
    const results: Result[] = [];
    const catalog = new Set((await tx.listScopes()).map((s) => s.name));
    for (const s of doc.scopes) {
      if (s.builtin || isBuiltinScope(s.name)) continue;
      if (await tx.getScope(s.name)) {
        results.push({ kind: 'scope', id: s.name, name: s.name, result: 'skipped', detail: 'already in the catalog' });
        continue;
      }
      await tx.insertScope(scopeFromExport(s, now));
      catalog.add(s.name);
      await this.deps.audit.record(tx, caller, { action: 'scope.imported', target: s.name, details: { description: s.description } });
      results.push({ kind: 'scope', id: s.name, name: s.name, result: 'created', detail: 'added to the catalog' });
    }
    const scopeKnown = (scope: string) => scope === '*' || isBuiltinScope(scope) || catalog.has(scope);

    for (const p of doc.policies ?? []) results.push(await this.importPolicy(tx, caller, p, scopeKnown));
    let webhookCount = (await tx.listWebhooks()).length;
    for (const w of doc.webhooks ?? []) {
      const result = await this.importWebhook(tx, caller, w, webhookCount, now);
      if (result.result === 'created') webhookCount++;
      results.push(result);
    }
    const tokens = await this.importTokens(tx, caller, doc, now, scopeKnown, written);
    return { results: [...results, ...tokens.results], secretless: tokens.secretless };
  }

  private async importPolicy(tx: StoreOps, caller: Caller, p: ExportedPolicy, scopeKnown: (scope: string) => boolean): Promise<Result> {
    const row = (result: Result['result'], detail: string): Result => ({ kind: 'policy', id: p.scope, name: null, result, detail });
    if (!scopeKnown(p.scope)) return row('refused', `scope ${p.scope} is neither built in nor in the catalog (of this server or the file)`);
    const existing = await tx.getPolicy(p.scope);
    const incoming = policyFromExport(p);
    if (existing && existing.updatedAt >= incoming.updatedAt) {
      return row('skipped', existing.updatedAt === incoming.updatedAt ? 'already present' : 'this server has a newer version');
    }
    await tx.putPolicy(incoming);
    await this.deps.audit.record(tx, caller, { action: 'policy.imported', target: p.scope, details: { replaced: existing !== null } });
    return row(existing ? 'updated' : 'created', existing ? 'replaced an older version' : 'added');
  }

  /** A webhook comes back with a new signing secret: the file never holds one. */
  private async importWebhook(tx: StoreOps, caller: Caller, w: ExportedWebhook, count: number, now: number): Promise<Result> {
    const row = (result: Result['result'], detail: string, secret?: string): Result => ({ kind: 'webhook', id: w.id, name: w.description || null, result, detail, ...(secret ? { secret } : {}) });
    if (await tx.getWebhook(w.id)) return row('skipped', 'already present');
    if (count >= MAX_WEBHOOKS) return row('refused', `a server keeps at most ${MAX_WEBHOOKS} webhooks`);
    const secret = newSigningSecret();
    const sealed = sealSigningSecret(secret, this.deps.peppers);
    await tx.insertWebhook({
      id: w.id,
      url: w.url,
      format: w.format,
      events: w.events,
      description: w.description,
      secretSealed: sealed.sealed,
      pepperVersion: sealed.pepperVersion,
      createdAt: Date.parse(w.created_at) || now,
      createdBy: w.created_by,
    });
    // The host only: a URL's path may itself be a credential (Slack's incoming-webhook URLs are).
    await this.deps.audit.record(tx, caller, { action: 'webhook.imported', target: w.id, details: { host: new URL(w.url).host, format: w.format, events: w.events } });
    return row('created', 'restored with a new signing secret (shown once): give it to the receiver', secret);
  }

  private async importTokens(
    tx: StoreOps,
    caller: Caller,
    doc: Export,
    now: number,
    scopeKnown: (scope: string) => boolean,
    written: string[],
  ): Promise<{ results: Result[]; secretless: number }> {
    const includeHashes = doc.include_hashes ?? false;
    const results = new Map<string, Result>();
    const row = (t: ExportedToken, result: Result['result'], detail: string): Result => ({ kind: 'token', id: t.id, name: t.name, result, detail });

    // What each token becomes: skipped, or a record to insert or to update.
    const existing = new Map<string, TokenRecord>();
    const planned = new Map<string, { entry: ExportedToken; record: TokenRecord; update: boolean }>();
    for (const t of doc.tokens) {
      const current = await tx.lockToken(t.id);
      if (current) existing.set(t.id, current);
      if (current && current.version >= t.version) {
        results.set(t.id, row(t, 'skipped', current.version === t.version ? 'already present (same version)' : `this server has a newer version (${current.version} > ${t.version})`));
        continue;
      }
      const secret = includeHashes
        ? { secretHash: Buffer.from(t.restore!.secret_hash!, 'base64'), pepperVersion: t.restore!.pepper_version! }
        : (current ?? { secretHash: randomBytes(32), pepperVersion: this.deps.peppers.current.version });
      planned.set(t.id, { entry: t, record: tokenFromExport(t, secret, now), update: current !== null });
    }
    const refuse = (id: string, detail: string) => {
      const plan = planned.get(id)!;
      planned.delete(id);
      results.set(id, row(plan.entry, 'refused', detail));
    };

    // A digest another token already has.
    if (includeHashes) {
      const byDigest = new Map<string, string>();
      const plans = [...planned.values()];
      for (let start = 0; start < plans.length; start += DIGEST_BATCH) {
        const found = await tx.getTokensByHash(plans.slice(start, start + DIGEST_BATCH).map((p) => p.record.secretHash));
        for (const t of found) byDigest.set(t.secretHash.toString('base64'), t.id);
      }
      for (const p of plans) {
        const digest = p.record.secretHash.toString('base64');
        const holder = byDigest.get(digest);
        if (holder !== undefined && holder !== p.record.id) refuse(p.record.id, `its secret digest belongs to ${holder} on this server`);
        else byDigest.set(digest, p.record.id);
      }
    }

    // A live token needs every scope it holds in the catalog.
    for (const p of [...planned.values()]) {
      const unknown = isLive(p.record, now) ? p.record.scopes.filter((s) => !scopeKnown(s)) : [];
      if (unknown.length) refuse(p.record.id, `it holds ${unknown.join(', ')}, in neither this server's catalog nor the file's`);
    }

    // A name is held by one current token at a time (README, Using the CLI: selectors).
    const final = (id: string) => planned.get(id)?.record ?? existing.get(id) ?? null;
    const isCurrent = async (t: TokenRecord) => {
      if (!isLive(t, now)) return false;
      if (t.rotatedTo === null) return true;
      const successor = final(t.rotatedTo) ?? (await tx.getToken(t.rotatedTo));
      return successor === null || successor.status === 'revoked';
    };
    const claims = [];
    for (const p of planned.values()) if (await isCurrent(p.record)) claims.push(p.record);
    const holders = new Map<string, string>();
    for (const t of await tx.findCurrentByNames(claims.map((c) => c.name), now)) {
      // A holder the import itself changes is judged by what it becomes.
      const after = planned.get(t.id)?.record;
      if (!after || (await isCurrent(after))) holders.set(t.name, t.id);
    }
    for (const claim of claims) {
      const holder = holders.get(claim.name);
      if (holder !== undefined && holder !== claim.id) {
        refuse(claim.id, `a live token named "${claim.name}" already exists here (${holder}): rename or revoke it, then import again`);
      } else holders.set(claim.name, claim.id);
    }

    let secretless = 0;
    for (const { entry, record, update } of planned.values()) {
      if (!includeHashes && !update && isLive(record, now)) secretless++;
      if (update) {
        await tx.updateToken(record);
        // updateToken leaves a quota's count to the quota statements: the file's count is set here.
        await tx.setQuota(record.id, { remaining: record.usesRemaining }, record.quotaRefilledAt);
      } else await tx.insertToken(record);
      written.push(record.id);
      const restored = includeHashes;
      await this.deps.audit.record(tx, caller, {
        action: 'token.imported',
        target: record.id,
        details: { name: record.name, version: record.version, status: storedStatusOf(entry), secret_restored: restored, replaced_version: existing.get(record.id)?.version ?? null },
      });
      const secret = restored ? 'its secret works again' : update ? 'its secret is kept' : 'no working secret until reissued';
      results.set(record.id, row(entry, update ? 'updated' : 'created', `${update ? `from version ${existing.get(record.id)!.version}` : 'restored'}; ${secret}`));
    }
    return { results: doc.tokens.map((t) => results.get(t.id)!), secretless };
  }
}
