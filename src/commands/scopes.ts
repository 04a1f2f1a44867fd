// `tokens scopes add|remove|set` on one token, and `tokens scopes catalog list|add|remove`.
import { defineCommand, type CommandDefinition, type Context } from '../cli/define.js';
import { argument, text, variadic } from '../cli/options.js';
import { YES } from '../cli/shared-options.js';
import type { Scope } from '../api/client.js';
import { confirmDestructive } from '../terminal/confirm.js';
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

async function editScopes(edit: Edit, opts: { token: string; scopes: string[]; yes?: boolean }, ctx: Context): Promise<CommandResult> {
  const scopes = splitScopes(opts.scopes);
  const api = await ctx.api();
  const token = await resolveToken(api, opts.token);
  const after = edit === 'set' ? scopes : edit === 'add' ? [...new Set([...token.scopes, ...scopes])] : token.scopes.filter((s) => !scopes.includes(s));
  if (EDITS[edit].destructive) {
    await confirmDestructive(ctx, {
      action: `change the scopes of ${token.name}`,
      changes: [`Scopes of ${describeToken(token)}:`, `  before: ${token.scopes.join(', ')}`, `  after:  ${after.join(', ') || '(none: the server will refuse)'}`],
      question: `Change the scopes of ${token.name}?`,
      yes: opts.yes,
    });
  }
  const updated = await api.editScopes(token.id, { [edit]: scopes });
  return tokenRecord(updated, { headline: `✓ Scopes of ${describeToken(updated)}: ${updated.scopes.join(', ')}` });
}

function editCommand(edit: Edit): CommandDefinition {
  const { summary, example, destructive } = EDITS[edit];
  const common = {
    name: edit,
    summary,
    description: `${summary}. Scopes may be separate arguments or comma-separated.${destructive ? ' Asks first unless --yes.' : ''}`,
    arguments: { token: argument('id, name or start prefix', { completes: 'live-tokens' }), scopes: variadic('scope names', { required: true, completes: 'scopes' }) },
    examples: [example],
  };
  // Only the edits that can take scopes away ask first, so only they have --yes.
  return destructive
    ? defineCommand({ ...common, options: { yes: YES }, run: (opts, ctx) => editScopes(edit, opts, ctx) })
    : defineCommand({ ...common, run: (opts, ctx) => editScopes(edit, opts, ctx) });
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

const catalogList = defineCommand({
  name: 'list',
  summary: 'List the built-in and custom scopes',
  examples: ['tokens scopes catalog list', 'tokens scopes catalog list --quiet'],
  async run(_opts, ctx) {
    return scopeList(await (await ctx.api()).listScopes());
  },
});

const catalogAdd = defineCommand({
  name: 'add',
  summary: 'Register a custom scope (needs management)',
  description: 'Registers a custom scope so tokens can be granted it. The server never interprets custom scopes; it returns them on verify.',
  arguments: { name: argument('scope name: lowercase letters, digits and _ . : -') },
  options: { description: text('--description <text>', 'what the scope allows') },
  examples: ['tokens scopes catalog add invoice:read --description "read invoices"'],
  async run(opts, ctx) {
    const scope = await (await ctx.api()).createScope(opts.name, opts.description);
    return { type: 'message', text: `✓ Added scope ${scope.name}`, json: { ...scope }, id: scope.name } satisfies CommandResult;
  },
});

const catalogRemove = defineCommand({
  name: 'remove',
  summary: 'Remove a custom scope that no live token holds (needs management)',
  arguments: { name: argument('scope name', { completes: 'custom-scopes' }) },
  options: { yes: YES },
  examples: ['tokens scopes catalog remove invoice:read --yes'],
  async run(opts, ctx) {
    const { name } = opts;
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
