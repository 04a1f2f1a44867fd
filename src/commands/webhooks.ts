// `tokens webhooks add|list|remove|test|deliveries` (README "Webhooks"): where events are pushed, and
// what became of each delivery. Needs scope management.
import { defineCommand } from '../cli/define.js';
import { argument, choice, duration, flag, integer, list, text } from '../cli/options.js';
import { YES } from '../cli/shared-options.js';
import { CliError, EXIT, UsageError } from '../cli/errors.js';
import type { Delivery, Webhook } from '../api/client.js';
import { confirmDestructive } from '../terminal/confirm.js';
import type { CommandResult, Field, ListResult } from '../terminal/output.js';
import { DELIVERY_STATES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../shared/wire-constants.js';

const WEBHOOK_COLUMNS: Field<Webhook>[] = [
  { key: 'id', label: 'ID', value: (w) => w.id },
  { key: 'url', label: 'URL', value: (w) => w.url, flexible: true },
  { key: 'format', label: 'Format', value: (w) => w.format },
  { key: 'events', label: 'Events', value: (w) => w.events, flexible: true },
  { key: 'created_at', label: 'Created', value: (w) => w.created_at, kind: 'time' },
];

const WEBHOOK_FIELDS: Field<Webhook>[] = [...WEBHOOK_COLUMNS, { key: 'description', label: 'Description', value: (w) => w.description }];

const DELIVERY_COLUMNS: Field<Delivery>[] = [
  { key: 'id', label: 'ID', value: (d) => d.id },
  { key: 'event', label: 'Event', value: (d) => d.event },
  { key: 'state', label: 'State', value: (d) => d.state },
  { key: 'attempts', label: 'Attempts', value: (d) => d.attempts },
  { key: 'last_status', label: 'Status', value: (d) => d.last_status },
  { key: 'created_at', label: 'Created', value: (d) => d.created_at, kind: 'time' },
  { key: 'next_attempt_at', label: 'Next attempt', value: (d) => d.next_attempt_at, kind: 'time' },
  { key: 'last_error', label: 'Last error', value: (d) => d.last_error, flexible: true },
];

const WEBHOOK_ID = 'webhook id (whk_…, from tokens webhooks list)';

const add = defineCommand({
  name: 'add',
  summary: 'Add a webhook; its signing secret is shown once',
  description:
    'Events are pushed to the URL as they happen, signed per Standard Webhooks with the secret shown\n' +
    'once here (verify them with the standardwebhooks library). --format slack posts readable text to\n' +
    'a Slack incoming webhook instead. The URL must resolve to a public address unless the server runs\n' +
    `with --allow-private-webhooks. Events: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
  arguments: { url: argument('http(s) URL of the receiver') },
  options: {
    event: list('--event <type>', 'an event to send (repeat, or comma-separate)', { choices: WEBHOOK_EVENT_TYPES }),
    allEvents: flag('--all-events', 'send every event'),
    format: choice('--format <format>', WEBHOOK_FORMATS, 'standard (signed JSON) or slack ({"text": …})', { default: 'standard' }),
    description: text('--description <text>', 'what the webhook is for'),
  },
  examples: [
    'tokens webhooks add https://hooks.example.com/tokens --event token.revoked,token.expiring',
    'tokens webhooks add https://hooks.slack.com/services/T0/B0/XXXX --format slack --event token.revoked --event auth.denied.burst',
    'tokens webhooks add https://siem.example.com/in --all-events --json',
  ],
  async run(opts, ctx) {
    if (opts.allEvents && opts.event) throw new UsageError('use either --event or --all-events');
    const events = opts.allEvents ? [...WEBHOOK_EVENT_TYPES] : opts.event;
    if (!events?.length) throw new UsageError('name the events to send with --event (or --all-events)', `events: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
    const { webhook, secret } = await (await ctx.api()).createWebhook({ url: opts.url, events, format: opts.format, ...(opts.description ? { description: opts.description } : {}) });
    return {
      type: 'record',
      item: webhook,
      fields: WEBHOOK_FIELDS,
      json: { ...webhook },
      id: webhook.id,
      headline: `✓ Added webhook ${webhook.id}`,
      secret: { value: secret, subject: `webhook ${webhook.id} (its signing secret)` },
    } satisfies CommandResult;
  },
});

const listCommand = defineCommand({
  name: 'list',
  summary: 'List the webhooks',
  examples: ['tokens webhooks list', 'tokens webhooks list --json'],
  async run(_opts, ctx) {
    const webhooks = await (await ctx.api()).listWebhooks();
    return { type: 'list', items: webhooks, columns: WEBHOOK_COLUMNS, json: (w) => ({ ...w }), id: (w) => w.id, empty: 'No webhooks.' } satisfies ListResult<Webhook>;
  },
});

const remove = defineCommand({
  name: 'remove',
  summary: 'Remove a webhook and its deliveries',
  arguments: { id: argument(WEBHOOK_ID) },
  options: { yes: YES },
  examples: ['tokens webhooks remove whk_01jq3v8k2m4n5p6q7r8s9t0v1w --yes'],
  async run(opts, ctx) {
    const api = await ctx.api();
    await confirmDestructive(ctx, {
      action: `remove webhook ${opts.id}`,
      changes: async () => {
        const webhook = (await api.listWebhooks()).find((w) => w.id === opts.id);
        return [`Remove webhook ${opts.id}${webhook ? ` (${webhook.url})` : ''}: no more events go there, and its deliveries are forgotten.`];
      },
      question: `Remove webhook ${opts.id}?`,
      yes: opts.yes,
    });
    await api.deleteWebhook(opts.id);
    return { type: 'message', text: `✓ Removed webhook ${opts.id}`, json: { id: opts.id, removed: true }, id: opts.id } satisfies CommandResult;
  },
});

const test = defineCommand({
  name: 'test',
  summary: 'Send a test event and report whether the receiver took it',
  description:
    'Queues a webhook.test event for this webhook and waits (--wait, default 15s) for its first attempt:\n' +
    'exit 0 once the receiver answered 2xx, 1 when it did not (the server keeps retrying; see deliveries).',
  arguments: { id: argument(WEBHOOK_ID) },
  options: { wait: duration('--wait <duration>', 'how long to wait for the outcome (0: only queue it)', { default: '15s', zero: true, maxSeconds: 600 }) },
  examples: ['tokens webhooks test whk_01jq3v8k2m4n5p6q7r8s9t0v1w', 'tokens webhooks test whk_01jq3v8k2m4n5p6q7r8s9t0v1w --wait 0 --json'],
  async run(opts, ctx) {
    const api = await ctx.api();
    let delivery = await api.testWebhook(opts.id);
    const deadline = ctx.clock() + opts.wait * 1000;
    // Until the first attempt has an outcome (a claimed attempt counts before it is answered).
    const unanswered = (d: Delivery) => d.state === 'pending' && d.last_error === null && d.last_status === null;
    while (unanswered(delivery) && ctx.clock() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      delivery = (await api.listDeliveries(opts.id, {}, 50)).find((d) => d.id === delivery.id) ?? delivery;
    }
    const json = { ...delivery };
    if (delivery.state === 'delivered') return { type: 'message', text: `✓ Delivered test event ${delivery.id} (HTTP ${delivery.last_status})`, json, id: delivery.id } satisfies CommandResult;
    if (opts.wait === 0) return { type: 'message', text: `Queued test event ${delivery.id}; follow it with: tokens webhooks deliveries ${opts.id}`, json, id: delivery.id } satisfies CommandResult;
    if (unanswered(delivery)) throw new CliError(`test event ${delivery.id} had no answer within ${opts.wait}s`, EXIT.error, `tokens webhooks deliveries ${opts.id}`);
    throw new CliError(`test event ${delivery.id} was not delivered: ${delivery.last_error ?? 'unknown error'}`, EXIT.error, `the server retries it; follow it with: tokens webhooks deliveries ${opts.id}`);
  },
});

const deliveries = defineCommand({
  name: 'deliveries',
  summary: "A webhook's deliveries, newest first",
  description: 'One line per event sent to the webhook: its webhook-id, the event, its state (pending, delivered, failed), attempts, the last HTTP status and error.',
  arguments: { id: argument(WEBHOOK_ID) },
  options: {
    state: choice('--state <state>', DELIVERY_STATES, 'only deliveries in this state'),
    limit: integer('--limit <n>', 'at most this many (newest first)', { min: 1 }, { default: '50' }),
  },
  examples: ['tokens webhooks deliveries whk_01jq3v8k2m4n5p6q7r8s9t0v1w', 'tokens webhooks deliveries whk_01jq3v8k2m4n5p6q7r8s9t0v1w --state failed --json'],
  async run(opts, ctx) {
    const items = await (await ctx.api()).listDeliveries(opts.id, opts.state ? { state: opts.state } : {}, opts.limit);
    return { type: 'list', items, columns: DELIVERY_COLUMNS, json: (d) => ({ ...d }), id: (d) => d.id, empty: 'No deliveries.' } satisfies ListResult<Delivery>;
  },
});

export default defineCommand({
  name: 'webhooks',
  summary: 'Push token events to receivers: signed webhooks, Slack',
  description:
    'Webhooks receive token.created, .updated, .scopes_changed, .rotated, .suspended, .resumed, .revoked,\n' +
    'token.expiring (14, 7 and 1 days before), token.expired and auth.denied.burst, signed per Standard\n' +
    'Webhooks, delivered at least once and retried for 24 hours. Needs scope management.',
  examples: ['tokens webhooks add https://hooks.example.com/tokens --all-events', 'tokens webhooks list', 'tokens webhooks test whk_01jq3v8k2m4n5p6q7r8s9t0v1w'],
  subcommands: [add, listCommand, remove, test, deliveries],
});
