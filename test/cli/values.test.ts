// Values as typed on the command line, and the renderer's edge cases, without a server.
import { describe, expect, it } from 'vitest';
import { durationSeconds, parseExpiry, parsePointInPast } from '../../src/input/duration.js';
import { relativeTime } from '../../src/shared/time-words.js';
import { UsageError } from '../../src/cli/errors.js';
import { render, type ListResult } from '../../src/terminal/output.js';
import { redactHeader, redactJson, redactText } from '../../src/api/redact.js';
import { applyMetadata, parseRateLimit } from '../../src/input/token-input.js';
import { checkApiUrl } from '../../src/credentials/target.js';
import { isLoopbackHost } from '../../src/shared/loopback.js';
import { generateSecret } from '../../src/shared/secret.js';
import { fakeIO } from './helpers.js';

const NOW = Date.parse('2027-01-01T00:00:00Z');

describe('durations and dates', () => {
  it.each([
    ['90d', 90 * 86_400],
    ['12h', 43_200],
    ['30m', 1800],
    ['1d12h', 129_600],
    ['2w', 1_209_600],
    ['45s', 45],
  ])('%s is %i seconds', (text, seconds) => expect(durationSeconds(text)).toBe(seconds));

  it('--expires accepts durations, dates, ISO times and never', () => {
    expect(parseExpiry('90d', NOW)).toBe('2027-04-01T00:00:00.000Z');
    expect(parseExpiry('2027-03-01', NOW)).toBe('2027-03-01T00:00:00.000Z');
    expect(parseExpiry('2027-03-01T12:30:00+02:00', NOW)).toBe('2027-03-01T10:30:00.000Z');
    expect(parseExpiry('never', NOW)).toBeNull();
    expect(parseExpiry('NEVER', NOW)).toBeNull();
  });

  it.each(['90', 'd90', '2027-13-01', '2027-02-29', '2026-12-31', '0d', 'next week', ''])('--expires %j is a usage error', (text) => {
    expect(() => parseExpiry(text, NOW)).toThrow(UsageError);
  });

  it('points in the past', () => {
    expect(parsePointInPast('1d', NOW, '--since')).toBe('2026-12-31T00:00:00.000Z');
    expect(parsePointInPast('2026-06-01', NOW, '--since')).toBe('2026-06-01T00:00:00.000Z');
    expect(() => parsePointInPast('yesterday', NOW, '--since')).toThrow('--since must be');
  });

  it('relative times round to the nearest unit', () => {
    expect(relativeTime('2027-01-01T00:00:10Z', NOW)).toBe('just now');
    expect(relativeTime('2027-03-31T23:00:00Z', NOW)).toBe('in 3 months');
    expect(relativeTime('2026-12-31T21:00:00Z', NOW)).toBe('3 hours ago');
  });
});

describe('token attributes', () => {
  it('rate limits', () => {
    expect(parseRateLimit('100/1m')).toEqual({ requests: 100, per_seconds: 60 });
    expect(parseRateLimit('5000 / 1h')).toEqual({ requests: 5000, per_seconds: 3600 });
    expect(parseRateLimit('none')).toBeNull();
    for (const bad of ['100', '0/1m', '100/often', '/1m']) expect(() => parseRateLimit(bad)).toThrow(UsageError);
  });

  it('metadata merges; KEY= removes; a pair needs a key', () => {
    expect(applyMetadata({ a: '1', b: '2' }, ['b=', 'c=x=y'])).toEqual({ a: '1', c: 'x=y' });
    expect(() => applyMetadata({}, ['=v'])).toThrow(UsageError);
  });
});

describe('API URLs', () => {
  it('plain http only to loopback unless allowed', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(checkApiUrl('http://localhost:8787/', false, 'x')).toBe('http://localhost:8787');
    expect(() => checkApiUrl('http://example.com', false, 'x')).toThrow('refusing to send credentials over plain http');
    expect(checkApiUrl('http://example.com', true, 'x')).toBe('http://example.com');
    expect(() => checkApiUrl('https://user:pw@example.com', false, 'x')).toThrow('must not carry a user name or password');
  });
});

describe('redaction for --debug', () => {
  it('takes secrets out by key and by shape', () => {
    const secret = generateSecret('tkn');
    expect(redactJson({ token: { id: 'tok_1', name: secret }, secret, secrets: [secret], nested: [{ x: secret }] })).toEqual({
      token: { id: 'tok_1', name: '[redacted]' },
      secret: '[redacted]',
      secrets: '[redacted]',
      nested: [{ x: '[redacted]' }],
    });
    expect(redactHeader('Authorization', `Bearer ${secret}`)).toBe('Bearer [redacted]');
    expect(redactText(`GET /v1/x?q=${secret}`)).toBe('GET /v1/x?q=[redacted]');
  });
});

describe('renderer', () => {
  interface Row {
    id: string;
    note: string;
  }
  const result: ListResult<Row> = {
    type: 'list',
    items: [{ id: 'a', note: 'tab\there\nnewline' }],
    columns: [
      { key: 'id', label: 'ID', value: (r) => r.id },
      { key: 'note', label: 'Note', value: (r) => r.note },
    ],
    json: (r) => ({ ...r }),
    id: (r) => r.id,
    empty: 'nothing',
  };

  it('TSV escapes tabs and newlines so each row stays one line', () => {
    const fake = fakeIO();
    render(result, fake.io, { mode: 'tsv', quiet: false, now: NOW });
    expect(fake.stdout()).toBe('a\ttab\\there\\nnewline\n');
  });

  it('JSON keeps the raw value', () => {
    const fake = fakeIO();
    render(result, fake.io, { mode: 'json', quiet: false, now: NOW });
    expect(JSON.parse(fake.stdout())).toEqual({ schema_version: 1, data: [{ id: 'a', note: 'tab\there\nnewline' }] });
  });

  it('a narrow terminal cuts the flexible columns, not the ids', () => {
    const wide: ListResult<Row> = { ...result, items: [{ id: 'tok_abcdef', note: 'x'.repeat(80) }], columns: [result.columns[0]!, { ...result.columns[1]!, flexible: true }] };
    const fake = fakeIO({ tty: true, columns: 40, env: { NO_COLOR: '1' } });
    render(wide, fake.io, { mode: 'table', quiet: false, now: NOW });
    const lines = fake.stdout().trimEnd().split('\n');
    expect(lines[1]).toMatch(/^tok_abcdef {2}x+…$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
  });
});
