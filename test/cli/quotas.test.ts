// Usage quotas from the CLI against a real server: create/update --max-uses and --refill, what show,
// list --json and usage print, and the one-line errors for bad values.
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { ok, run, useServerAndCli } from './helpers.js';

const shared = useServerAndCli();
const env = () => shared.cli.env;

describe('usage quotas', () => {
  it('create --max-uses --refill, update --max-uses, shown by show, list --json and usage', async () => {
    const created = JSON.parse(await ok(['create', '--name', 'quota-partner', '--scope', 'tokens:read', '--max-uses', '10000', '--refill', '500/1d', '--json'], { env: env() }));
    expect(created).toMatchObject({ max_uses: 10000, refill: { amount: 500, every: 86400 }, uses_remaining: 10000 });
    expect(await ok(['show', 'quota-partner'], { env: env(), tty: true, columns: 120 })).toMatch(/Usage quota +10,000 of 10,000 left, refills 500\/1d\n/);
    const listed = JSON.parse(await ok(['list', '--name-prefix', 'quota-partner', '--json'], { env: env() }));
    expect(listed.data[0]).toMatchObject({ max_uses: 10000, uses_remaining: 10000 });

    const single = JSON.parse(await ok(['create', '--name', 'quota-invite', '--scope', 'tokens:read', '--max-uses', '1', '--json'], { env: env() }));
    expect(single).toMatchObject({ max_uses: 1, refill: null, uses_remaining: 1 });
    const raised = JSON.parse(await ok(['update', 'quota-invite', '--max-uses', '3', '--json'], { env: env() }));
    expect(raised).toMatchObject({ max_uses: 3, uses_remaining: 3 });
    const lifted = JSON.parse(await ok(['update', 'quota-invite', '--max-uses', 'none', '--json'], { env: env() }));
    expect(lifted).toMatchObject({ max_uses: null, uses_remaining: null });
    expect(await ok(['show', 'quota-invite'], { env: env(), tty: true, columns: 120 })).toMatch(/Usage quota +none\n/);

    const usage = await ok(['usage', 'quota-partner'], { env: env(), tty: true, columns: 120 });
    expect(usage).toMatch(/quota +10,000 of 10,000 uses left \(refills 500 every 86400 s\)/);
    expect((await api(shared.server, shared.server.adminSecret, 'GET', `/v1/tokens/${created.id}/usage`)).body.quota).toEqual({
      max_uses: 10000,
      uses_remaining: 10000,
      refill: { amount: 500, every: 86400 },
    });
  });

  it('refuses bad values with one line and exit code 2', async () => {
    for (const [argv, message] of [
      [['create', '--name', 'q-bad', '--scope', 'tokens:read', '--max-uses', '0'], '--max-uses must be a whole number from 1'],
      [['create', '--name', 'q-bad', '--scope', 'tokens:read', '--max-uses', 'ten'], '--max-uses must be a whole number from 1'],
      [['create', '--name', 'q-bad', '--scope', 'tokens:read', '--max-uses', '5', '--refill', '5'], '--refill must be USES/DURATION'],
      [['create', '--name', 'q-bad', '--scope', 'tokens:read', '--refill', '5/1d'], '--refill needs --max-uses'],
    ] as const) {
      const r = await run([...argv], { env: env() });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')[0]).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
