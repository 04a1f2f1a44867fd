// `tokens scopes add|remove|set` on one token, and `tokens scopes catalog list|add|remove`.
import { defineCommand, type CommandDefinition } from '../cli/define.js';
import { YES } from '../cli/shared-options.js';
import type { Scope } from '../api/client.js';
import { confirmDestructive } from '../terminal/confirm.js';
import type { Context } from '../cli/context.js';
import type { CommandResult, Field, ListResult } from '../terminal/output.js';
import { resolveToken } from '../input/selectors.js';
import { describeToken, tokenRecord } from '../terminal/token-view.js';

type Edit = 'add' | 'remove' | 'set';

const EDITS: Record<Edit, { summary: string; example: string; destructive: boolean }> = {
  add: { summary: 'Grant scopes to a token (only scopes you hold yourself)', example: 'tokens scopes add ci-deploy tokens:write audit:read', destructive: false },
  remove: { summary: 'Take scopes away from a token', example: 'tokens scopes remove ci-deploy tokens:write --yes', destructive: true },
  set: { summary: "Replace a token's scopes", example: 'tokens scopes set gateway verify', destructive: true },
};

function splitScopes(args: string[]): string[] {
  return [...new Set(args.flatMap((a) => a.split(',')).map((s) => s.trim()).filter(Boolean))];
}

function editCommand(edit: Edit): CommandDefinition<{ yes?: boolean }> {
  const { summary, example, destructive } = EDITS[edit];
  return defineCommand<{ yes?: boolean }>({
    name: edit,
    summary,
    description: `${summary}. Scopes may be separate arguments or comma-separated.${destructive ? ' Asks first unless --yes.' : ''}`,
    arguments: [
      { name: 'token', description: 'id, name or start prefix', required: true },
      { name: 'scopes', description: 'scope names', required: true, variadic: true },
    ],
    options: destructive ? [YES] : [],
    examples: [example],
    async run(opts, ctx) {
      const [selector, ...rest] = opts.args;
      const scopes = splitScopes(rest);
      const api = await ctx.api();
      const token = await resolveToken(api, selector!);
      const after = edit === 'set' ? scopes : edit === 'add' ? [...new Set([...token.scopes, ...scopes])] : token.scopes.filter((s) => !scopes.includes(s));
      if (destructive) {
        await confirmDestructive(ctx, {
          action: `change the scopes of ${token.name}`,
          changes: [`Scopes of ${describeToken(token)}:`, `  before: ${token.scopes.join(', ')}`, `  after:  ${after.join(', ') || '(none: the server will refuse)'}`],
          question: `Change the scopes of ${token.name}?`,
          yes: opts.yes,
        });
      }
      const updated = await api.editScopes(token.id, { [edit]: scopes });
      return tokenRecord(updated, { headline: `✓ Scopes of ${describeToken(updated)}: ${updated.scopes.join(', ')}` });
    },
  });
}

const SCOPE_COLUMNS: Field<Scope>[] = [
  { key: 'name', label: 'Name', value: (s) => s.name },
  { key: 'builtin', label: 'Kind', value: (s) => (s.builtin ? 'built-in' : 'custom') },
  { key: 'description', label: 'Description', value: (s) => s.description, flexible: true },
  { key: 'created_at', label: 'Created', value: (s) => s.created_at, kind: 'time' },
];

function scopeList(scopes: Scope[]): ListResult<Scope> {
  return { type: 'list', items: scopes, columns: SCOPE_COLUMNS, json: (s) => ({ ...s }), id: (s) => s.name, empty: 'No scopes.' };
}

const catalogList = defineCommand<Record<string, never>>({
  name: 'list',
  summary: 'List the built-in and custom scopes',
  examples: ['tokens scopes catalog list', 'tokens scopes catalog list --quiet'],
  async run(_opts, ctx: Context) {
    return scopeList(await (await ctx.api()).listScopes());
  },
});

const catalogAdd = defineCommand<{ description?: string }>({
  name: 'add',
  summary: 'Register a custom scope (needs management)',
  description: 'Registers a custom scope so tokens can be granted it. The server never interprets custom scopes; it returns them on verify.',
  arguments: [{ name: 'name', description: 'scope name: lowercase letters, digits and _ . : -', required: true }],
  options: [{ flags: '--description <text>', description: 'what the scope allows' }],
  examples: ['tokens scopes catalog add invoice:read --description "read invoices"'],
  async run(opts, ctx) {
    const scope = await (await ctx.api()).createScope(opts.args[0]!, opts.description);
    return { type: 'message', text: `✓ Added scope ${scope.name}`, json: { ...scope }, id: scope.name } satisfies CommandResult;
  },
});

const catalogRemove = defineCommand<{ yes?: boolean }>({
  name: 'remove',
  summary: 'Remove a custom scope that no live token holds (needs management)',
  arguments: [{ name: 'name', description: 'scope name', required: true }],
  options: [YES],
  examples: ['tokens scopes catalog remove invoice:read --yes'],
  async run(opts, ctx) {
    const name = opts.args[0]!;
    await confirmDestructive(ctx, {
      action: `remove scope ${name}`,
      changes: [`Remove the custom scope "${name}" from the catalog; it can no longer be granted.`],
      question: `Remove scope ${name}?`,
      yes: opts.yes,
    });
    await (await ctx.api()).deleteScope(name);
    return { type: 'message', text: `✓ Removed scope ${name}`, json: { name, removed: true }, id: name } satisfies CommandResult;
  },
});

const catalog = defineCommand({
  name: 'catalog',
  summary: 'The catalog of scopes tokens can be granted',
  examples: ['tokens scopes catalog list', 'tokens scopes catalog add messaging'],
  subcommands: [catalogList, catalogAdd, catalogRemove],
});

export default defineCommand({
  name: 'scopes',
  summary: "Edit a token's scopes, or the catalog of custom scopes",
  description:
    'add/remove/set change the scopes of one token; catalog manages the custom scopes the server knows.\n' +
    'No escalation: you can grant only scopes you hold yourself.',
  examples: ['tokens scopes add ci-deploy audit:read', 'tokens scopes set gateway verify --yes', 'tokens scopes catalog list'],
  subcommands: [editCommand('add'), editCommand('remove'), editCommand('set'), catalog],
});
