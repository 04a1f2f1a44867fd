// whoami, the scope catalog, policies, the audit log and export.
import {
  AuditPage,
  CreateScopeBody,
  Export,
  ExportQuery,
  ImportQuery,
  ImportReport,
  ListAuditQuery,
  PolicyList,
  PolicyRef,
  PolicyRulesBody,
  PolicyScopeParams,
  ScopeList,
  ScopeNameParams,
  ScopeRef,
  Whoami,
} from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { authenticated, scoped, type TypedApp } from './types.js';
import { NEEDS } from '../service/authz.js';
import { tokenToWire } from '../service/wire.js';
import { VERSION } from '../../version.js';

/** Bodies of POST /v1/import: a backup of many tokens is far larger than any other request (README, Backup and restore). */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

export function registerAdminRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/whoami',
    { config: authenticated, schema: { tags: ['tokens'], operationId: 'whoami', summary: "The caller's own token (any valid token)", response: { 200: Whoami } } },
    async (req) => ({
      token: tokenToWire(req.caller!.token, ctx.deps.clock()),
      server: { version: VERSION, secret_prefix: ctx.deps.secretPrefix },
    }),
  );

  app.get(
    '/v1/scopes',
    { config: authenticated, schema: { tags: ['scopes'], operationId: 'listScopes', ...scoped('Built-in and custom scopes', NEEDS.readTokens), response: { 200: ScopeList } } },
    async (req) => ctx.scopes.list(req.caller!),
  );

  app.post(
    '/v1/scopes',
    {
      config: { ...authenticated, answers: { refusals: ['conflict'] } },
      schema: { tags: ['scopes'], operationId: 'createScope', ...scoped('Register a custom scope', NEEDS.manage), body: CreateScopeBody, response: { 201: ScopeRef } },
    },
    async (req, reply) => reply.code(201).send(await ctx.scopes.create(req.caller!, req.body.name, req.body.description)),
  );

  app.delete(
    '/v1/scopes/:name',
    {
      config: { ...authenticated, answers: { refusals: ['not_found', 'conflict'] } },
      schema: {
        tags: ['scopes'],
        operationId: 'deleteScope',
        ...scoped('Remove a custom scope no live token holds', NEEDS.manage),
        params: ScopeNameParams,
        response: { 204: { description: 'removed', type: 'null' } },
      },
    },
    async (req, reply) => {
      await ctx.scopes.delete(req.caller!, req.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/policies',
    {
      config: authenticated,
      schema: { tags: ['policies'], operationId: 'listPolicies', ...scoped('The policies: rules per scope, or * for every token', NEEDS.readTokens), response: { 200: PolicyList } },
    },
    async (req) => ctx.policies.list(req.caller!),
  );

  app.put(
    '/v1/policies/:scope',
    {
      config: authenticated,
      schema: {
        tags: ['policies'],
        operationId: 'setPolicy',
        ...scoped('Set the policy of a scope (or * for every token), replacing its rules; checked on create, update, scope changes and rotation', NEEDS.manage),
        params: PolicyScopeParams,
        body: PolicyRulesBody,
        response: { 200: PolicyRef },
      },
    },
    async (req) => ctx.policies.put(req.caller!, req.params.scope, req.body),
  );

  app.delete(
    '/v1/policies/:scope',
    {
      config: { ...authenticated, answers: { refusals: ['not_found'] } },
      schema: {
        tags: ['policies'],
        operationId: 'removePolicy',
        ...scoped('Remove the policy of a scope', NEEDS.manage),
        params: PolicyScopeParams,
        response: { 204: { description: 'removed', type: 'null' } },
      },
    },
    async (req, reply) => {
      await ctx.policies.remove(req.caller!, req.params.scope);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/audit',
    { config: authenticated, schema: { tags: ['audit'], operationId: 'listAuditEvents', ...scoped('The audit log, oldest first (order=desc: newest first), cursor-paginated', NEEDS.readAudit), querystring: ListAuditQuery, response: { 200: AuditPage } } },
    async (req) => ctx.audit.list(req.caller!, req.query),
  );

  app.get(
    '/v1/export',
    {
      config: authenticated,
      schema: {
        tags: ['admin'],
        operationId: 'exportAll',
        ...scoped('A backup: all token metadata, the scope catalog and the policies, never secrets; include_hashes adds the secret digests (audited as such)', NEEDS.manage),
        querystring: ExportQuery,
        response: { 200: Export },
      },
    },
    async (req) => ctx.export.export(req.caller!, { includeHashes: req.query.include_hashes }),
  );

  app.post(
    '/v1/import',
    {
      config: { ...authenticated, answers: { refusals: ['unprocessable'] } },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['admin'],
        operationId: 'importAll',
        ...scoped('Restore an export: idempotent, never overwrites a newer version, all-or-nothing on a bad file; bodies up to 64 MiB; dry_run changes nothing', NEEDS.manage),
        querystring: ImportQuery,
        body: Export,
        response: { 200: ImportReport },
      },
    },
    async (req) => ctx.import.import(req.caller!, req.body, { dryRun: req.query.dry_run }),
  );
}
