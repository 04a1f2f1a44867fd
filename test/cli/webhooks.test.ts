// `tokens webhooks` in-process against a real server (private addresses allowed) and a real receiver:
// add shows the secret once, list, test reports the receiver's answer, deliveries, remove.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { FAST, startReceiver, type Receiver } from '../webhooks/receiver.js';
import { ok, run, useServerAndCli } from './helpers.js';

const shared = useServerAndCli({}, () => startTestServer({ allowPrivateWebhooks: true }, {}, { webhookTimings: FAST }));
const env = () => shared.cli.env;

describe('tokens webhooks', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('add, list, test, deliveries, remove', async () => {
    // Piped: the secret alone on stdout, the rest on stderr.
    const added = await run(['webhooks', 'add', receiver.url, '--event', 'token.revoked,token.created', '--description', 'audit sink'], { env: env() });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^whsec_[A-Za-z0-9+/=]{44}\n$/);
    expect(added.stderr).toContain('Added webhook whk_');
    receiver.secret = added.stdout.trim();
    const [webhook] = JSON.parse(await ok(['webhooks', 'list', '--json'], { env: env() })).data;
    expect(webhook).toMatchObject({ url: receiver.url, format: 'standard', events: ['token.revoked', 'token.created'], description: 'audit sink' });
    expect(await ok(['webhooks', 'list'], { env: env() })).not.toContain(receiver.secret);

    const tested = await run(['webhooks', 'test', webhook.id], { env: env(), tty: true });
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^✓ Delivered test event msg_[0-9a-z]{26} \(HTTP 200\)\n$/);
    expect(receiver.events('webhook.test')).toHaveLength(1);

    receiver.behave(500);
    const failing = await run(['webhooks', 'test', webhook.id], { env: env() });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^error: test event msg_\S+ was not delivered: answered 500: status 500\nhint: the server retries it/);
    receiver.behave(200);

    const listed = JSON.parse(await ok(['webhooks', 'deliveries', webhook.id, '--json'], { env: env() })).data;
    const firstTest = /msg_[0-9a-z]{26}/.exec(tested.stdout)![0];
    expect(listed.map((d: { event: string }) => d.event)).toEqual(['webhook.test', 'webhook.test']);
    expect(listed[1]).toMatchObject({ id: firstTest, state: 'delivered', attempts: 1, last_status: 200, payload: { type: 'webhook.test' } });
    // The failed one is retried by the server meanwhile; the first is delivered, one line per delivery.
    const tsv = await ok(['webhooks', 'deliveries', webhook.id, '--state', 'delivered'], { env: env() });
    expect(tsv.split('\n').find((line) => line.startsWith(firstTest)), tsv).toMatch(/^msg_\S+\twebhook\.test\tdelivered\t1\t200\t\S+Z\t\t$/);

    const refused = await run(['webhooks', 'remove', webhook.id], { env: env() });
    expect(refused.code).toBe(2);
    expect(await ok(['webhooks', 'remove', webhook.id, '--yes', '-q'], { env: env() })).toBe(`${webhook.id}\n`);
    expect(JSON.parse(await ok(['webhooks', 'list', '--json'], { env: env() })).data).toEqual([]);
  });

  it('usage errors name the flag; the server refuses what it cannot reach', async () => {
    const none = await run(['webhooks', 'add', receiver.url], { env: env() });
    expect([none.code, none.stderr.split('\n')[0]]).toEqual([2, 'error: name the events to send with --event (or --all-events)']);
    expect((await run(['webhooks', 'add', receiver.url, '--event', 'token.exploded'], { env: env() })).code).toBe(2);
    const bad = await run(['webhooks', 'add', 'ftp://example.com/x', '--all-events'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('http:// or https://');
    expect((await run(['webhooks', 'deliveries', 'whk_00000000000000000000000000'], { env: env() })).code).toBe(5);
  });
});
