// The scope catalog: built-in scopes and the custom ones a management caller registers.
import { BUILTIN_SCOPES, type Scope, type ScopeListResponse } from '../../shared/schemas.js';
import { BUILTIN_SCOPE_DESCRIPTIONS, isBuiltinScope, NEEDS, requireScope } from './authz.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import { DomainError } from './errors.js';
import { scopeToWire } from './wire.js';

export class ScopeService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(caller: Caller): Promise<ScopeListResponse> {
    requireScope(caller.token, NEEDS.readTokens);
    const builtin = BUILTIN_SCOPES.map((name) => scopeToWire({ name, description: BUILTIN_SCOPE_DESCRIPTIONS[name], builtin: true }));
    const custom = (await this.deps.store.listScopes()).map(scopeToWire);
    return { data: [...builtin, ...custom] };
  }

  async create(caller: Caller, name: string, description = ''): Promise<Scope> {
    requireScope(caller.token, NEEDS.manage);
    if (isBuiltinScope(name)) throw DomainError.conflict('scope_exists', `${name} is a built-in scope`);
    return this.deps.store.transaction(async (tx) => {
      if (await tx.getScope(name)) throw DomainError.conflict('scope_exists', `scope ${name} already exists`);
      const record = { name, description, createdAt: this.deps.clock(), createdBy: caller.token.id };
      await tx.insertScope(record);
      await this.deps.audit.record(tx, caller, { action: 'scope.created', target: name, details: { description } });
      return scopeToWire(record);
    });
  }

  async delete(caller: Caller, name: string): Promise<void> {
    requireScope(caller.token, NEEDS.manage);
    if (isBuiltinScope(name)) throw DomainError.conflict('scope_builtin', `${name} is a built-in scope and cannot be removed`);
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.getScope(name))) throw DomainError.notFound(`scope ${name}`);
      const holders = await tx.countLiveTokensWithScope(name, this.deps.clock());
      if (holders) throw DomainError.conflict('scope_in_use', `scope ${name} is held by ${holders} live token(s); remove it from them first`);
      if (await tx.getPolicy(name)) throw DomainError.conflict('scope_has_policy', `scope ${name} has a policy; remove it first (DELETE /v1/policies/${name})`);
      await tx.deleteScope(name);
      await this.deps.audit.record(tx, caller, { action: 'scope.deleted', target: name });
    });
  }
}
