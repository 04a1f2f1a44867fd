// `tokens usage` against a real server whose clock is fixed: a known number of verify calls shows up
// in the right hour, on a terminal (sparkline and table), piped (TSV) and as --json; --top ranks.
import { beforeAll, describe, expect, it } from 'vitest';
import { readmeCodeBlocks } from '../helpers/readme.js';
import { startTestServer } from '../helpers/server.js';
import { introspect, issue, type Issued } from '../verify/helpers.js';
import { ok, run, useServerAndCli } from './helpers.js';

/** 14:20 UTC: the calls below land in the 14:00 hour. */
const NOW = Date.UTC(2031, 6, 1, 14, 20, 0);
const clock = () => NOW;
const shared = useServerAndCli({}, () => startTestServer({}, {}, { clock }));
const opts = () => ({ env: shared.cli.env, clock });

describe('tokens usage', () => {
  let client: Issued;
  let quiet: Issued;
  beforeAll(async () => {
    const gateway = await issue(shared.server, { scopes: ['verify'] });
    client = await issue(shared.server, { name: 'usage-client' });
    quiet = await issue(shared.server, { name: 'usage-quiet' });
    for (let i = 0; i < 7; i++) expect((await introspect(shared.server, gateway.secret, { token: client.secret, ip: '192.0.2.44' })).body.active).toBe(true);
    await introspect(shared.server, gateway.secret, { token: client.secret, scope: 'management' });
    await introspect(shared.server, gateway.secret, { token: client.secret, scope: 'management' });
  });

  it('--json: the documented shape, 7 uses and 2 refusals in the 14:00 hour', async () => {
    const body = JSON.parse(await ok(['usage', 'usage-client', '--json'], opts()));
    expect(Object.keys(body).sort()).toEqual(['addresses', 'data', 'granularity', 'id', 'name', 'schema_version', 'since', 'totals', 'until']);
    // The shape the README prints (## Usage history) is the one printed here, member for member.
    const documented = JSON.parse(readmeCodeBlocks('## Usage history').find((b) => b.lang === 'json')!.text);
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(body)).toEqual(keys(documented));
    expect(keys(body.data[0])).toEqual(keys(documented.data[0]));
    expect(keys(body.data[0].refusals)).toEqual(keys(documented.data[0].refusals));
    expect(keys(body.totals)).toEqual(keys(documented.totals));
    expect(keys(body.addresses[0])).toEqual(keys(documented.addresses[0]));
    expect(body).toMatchObject({ schema_version: 1, id: client.id, name: 'usage-client', granularity: 'hour', until: new Date(NOW).toISOString() });
    expect(body.data).toHaveLength(25);
    const hour = body.data.find((b: { start: string }) => b.start === '2031-07-01T14:00:00.000Z');
    expect(hour).toEqual({ start: '2031-07-01T14:00:00.000Z', uses: 7, refused: 2, refusals: { revoked: 0, suspended: 0, expired: 0, ip: 0, audience: 0, scope: 2, rate_limited: 0, usage_exceeded: 0 } });
    expect(body.data.filter((b: { uses: number }) => b.uses).length).toBe(1);
    expect(body.totals).toMatchObject({ uses: 7, refused: 2 });
    // The refused calls named no address: they came from the gateway's own (loopback).
    expect(body.addresses).toEqual([
      { address: '192.0.2.44', uses: 7, refused: 0 },
      { address: '127.0.0.1', uses: 0, refused: 2 },
    ]);
  });

  it('piped: one TSV line per period with every reason as a column', async () => {
    const out = await ok(['usage', client.id, '--since', '2h'], opts());
    expect(out.trimEnd().split('\n')).toEqual([
      '2031-07-01T12:00:00.000Z\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0',
      '2031-07-01T13:00:00.000Z\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0',
      '2031-07-01T14:00:00.000Z\t7\t2\t0\t0\t0\t0\t0\t2\t0\t0',
    ]);
  });

  it('on a terminal: a title, sparklines with totals, the addresses, then the table', async () => {
    const r = await run(['usage', 'usage-client', '--since', '3h'], { ...opts(), tty: true });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`usage-client (${client.id}), by hour, 2031-07-01 11:00 → 2031-07-01 14:20 UTC`);
    expect(lines[1]).toMatch(/^ {2}uses {5} {3}█ {2}7$/);
    expect(lines[2]).toMatch(/^ {2}refused {2} {3}█ {2}2 \(scope 2\)$/);
    expect(lines[3]).toBe('  from     192.0.2.44 (7), 127.0.0.1 (0, 2 refused)');
    expect(lines[5]).toMatch(/^START\s+USES\s+REFUSED\s+REVOKED\s+SUSPENDED\s+EXPIRED\s+IP\s+AUDIENCE\s+SCOPE\s+RATE LIMITED\s+USAGE EXCEEDED$/);
    expect(lines[9]).toMatch(/^2031-07-01 14:00\s+7\s+2\s+0\s+0\s+0\s+0\s+0\s+2\s+0\s+0$/);
  });

  it('--granularity day over 30 days', async () => {
    const body = JSON.parse(await ok(['usage', 'usage-client', '--since', '30d', '--granularity', 'day', '--json'], opts()));
    expect(body.data).toHaveLength(31);
    expect(body.data.at(-1)).toMatchObject({ start: '2031-07-01T00:00:00.000Z', uses: 7, refused: 2 });
  });

  it('--top ranks the most used tokens; --by refused the most refused; unused tokens are left out', async () => {
    const top = JSON.parse(await ok(['usage', '--top', '10', '--json'], opts()));
    expect(top.by).toBe('uses');
    const ids = top.data.map((t: { id: string }) => t.id);
    expect(ids).toContain(client.id);
    expect(ids).not.toContain(quiet.id);
    const refused = JSON.parse(await ok(['usage', '--top', '3', '--by', 'refused', '--json'], opts()));
    expect(refused.data).toEqual([{ id: client.id, name: 'usage-client', status: 'active', uses: 7, refused: 2, refusals: expect.objectContaining({ scope: 2 }) }]);
    const tsv = await ok(['usage', '--top', '3', '--by', 'refused'], opts());
    expect(tsv).toBe(`${client.id}\tusage-client\tactive\t7\t2\n`);
  });

  it('usage errors: no token and no --top, both, --granularity with --top', async () => {
    for (const argv of [['usage'], ['usage', 'usage-client', '--top', '3'], ['usage', '--top', '3', '--granularity', 'day'], ['usage', 'usage-client', '--granularity', 'week']]) {
      const r = await run(argv, opts());
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
