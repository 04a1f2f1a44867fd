// The console in a real browser (Debian's chromium): what an operator does — sign in, create and copy
// a secret once, the Active switch, rotate, edit scopes, revoke with its dialog, read the audit log,
// sign out — and what an attacker tries: markup in a token name, a cross-site post with the
// session cookie, framing, reading the secret back from the browser. axe-core checks every view.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { TestCa } from '../helpers/tls.js';
import { browserState, expectAccessible, launchChromium, newConsoleContext, signInThroughPage } from './browser.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
const DOCS = join(import.meta.dirname, '../../docs');

let server: TestServer;
let browser: Browser;
let admin: string;
let gateway: string;
/** One page signed in with the bootstrap (management) token, shared by the flows that need no other session. */
let shared: Awaited<ReturnType<typeof newConsoleContext>>;
const configDir = mkdtempSync(join(tmpdir(), 'tokens-console-cli-'));

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  admin = server.adminSecret;
  gateway = (await createToken({ name: 'gateway', scopes: ['verify'] })).secret;
  shared = await newConsoleContext(browser, { baseURL: server.url });
  await shared.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await signInThroughPage(shared.page, admin);
});
afterAll(async () => {
  await browser?.close();
  await server?.destroy();
  rmSync(configDir, { recursive: true, force: true });
});

async function createToken(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const r = await api(server, admin, 'POST', '/v1/tokens', body);
  expect(r.status, r.text).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret };
}

const introspect = async (secret: string) => (await api(server, gateway, 'POST', '/v1/introspect', { token: secret })).body.active as boolean;

async function open(colorScheme: 'light' | 'dark' = 'light') {
  return newConsoleContext(browser, { baseURL: server.url, colorScheme });
}

/** The shared admin page, its problems so far cleared. */
function adminPage() {
  shared.problems.length = 0;
  return { page: shared.page, problems: shared.problems };
}

/** Pages of another origin (the same site: only the port differs), by path. */
async function otherOrigin(pages: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const evil: Server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(pages[req.url ?? '/'] ?? ''));
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => evil.close(() => resolve())) };
}

async function openToken(page: Page, name: string) {
  await page.goto('/tokens');
  await page.getByLabel('Name starts with').fill(name);
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('the console in chromium', () => {
  it('signs in, lists tokens with what needs attention, and passes axe in light and dark (screenshots for the README)', async () => {
    await createToken({ name: 'ci-deploy', scopes: ['tokens:read'], expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    await createToken({ name: 'billing-api', scopes: ['tokens:read', 'audit:read'], allowed_cidrs: ['10.0.0.0/8'] });
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page, problems } = await open(scheme);
      await page.goto('/');
      await expectAccessible(page, `sign-in (${scheme})`);
      await signInThroughPage(page, admin);
      await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
      await expect.poll(() => page.getByRole('row').count()).toBeGreaterThanOrEqual(4);
      const attention = await page.locator('.attention').innerText();
      expect(attention).toContain('ci-deploy');
      expect(attention).toContain('management, no expiry');
      const row = page.getByRole('row', { name: /ci-deploy/ });
      await expect.poll(() => row.innerText()).toMatch(/tokens:read\s+active\s+just now\s+in 5 days\s+Never\s+0/);
      expect(await row.locator('time').nth(1).getAttribute('title')).toMatch(/\d{4}-\d{2}-\d{2}T/);
      await expectAccessible(page, `tokens (${scheme})`);
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      if (process.env.TOKENS_UPDATE_SCREENSHOTS === '1') {
        mkdirSync(DOCS, { recursive: true });
        writeFileSync(join(DOCS, `console-${scheme}.png`), shot);
      }
      expect(await browserState(page)).not.toContain(admin);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('creates a token, copies its secret once (it authenticates), and never shows it again', async () => {
    const { page, problems } = adminPage();
    await page.goto('/tokens');
    await page.getByRole('button', { name: '+ New token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New token' });
    await dialog.getByLabel('Name', { exact: true }).fill('deploy-bot');
    await dialog.getByRole('checkbox', { name: 'tokens:read' }).check();
    await dialog.getByRole('radio', { name: '30 days' }).check();
    await dialog.getByLabel('Allowed addresses (CIDRs)').fill('127.0.0.1\n10.0.0.0/8');
    await expectAccessible(page, 'new token dialog');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const reveal = page.getByRole('dialog', { name: 'Token created' });
    await reveal.waitFor();
    await expect.poll(() => reveal.innerText()).toContain('You will not see it again');
    await expectAccessible(page, 'secret dialog');
    await reveal.getByRole('button', { name: 'Copy' }).click();
    await reveal.getByText('Copied to the clipboard.').waitFor();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toMatch(/^tkn_[0-9A-Za-z]{38}$/);
    expect(await reveal.getByLabel(/Secret of deploy-bot/).inputValue()).toBe(copied);
    const me = await api(server, copied, 'GET', '/v1/whoami');
    expect(me.status).toBe(200);
    expect(me.body.token.name).toBe('deploy-bot');

    // Leaving needs the acknowledgement: Escape and Done alone keep the dialog open.
    await page.keyboard.press('Escape');
    await reveal.getByRole('alert').waitFor();
    const done = reveal.getByRole('button', { name: 'Done' });
    expect(await done.getAttribute('aria-disabled')).toBe('true');
    await done.click({ force: true }); // announced as unavailable, but a click must not get past it either
    expect(await reveal.isVisible()).toBe(true);
    await reveal.getByRole('checkbox', { name: /stored the secret/ }).check();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { level: 1, name: 'deploy-bot' }).waitFor();

    // Gone for good: not in the page, its storage, URL or history — here and after opening it again.
    expect(await page.content()).not.toContain(copied);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'deploy-bot' }).waitFor();
    expect(await page.content()).not.toContain(copied);
    expect(await page.getByText(/10\.0\.0\.0\/8/).count()).toBe(1);
    const state = await browserState(page);
    expect(state).not.toContain(copied);
    expect(state).not.toContain(admin);
    expect(JSON.parse(state).cookie).toBe(''); // the session cookie is HttpOnly
    await expectAccessible(page, 'token detail');
    expect(problems).toEqual([]);
  });

  it('renders a token named with markup as text, running nothing', async () => {
    const name = '<img src=x onerror="window.__xss=1;alert(1)">';
    const t = await createToken({ name, description: '<script>window.__xss=2</script>', scopes: ['tokens:read'], metadata: { note: '<b onmouseover=alert(3)>x</b>' } });
    await api(server, admin, 'POST', `/v1/tokens/${t.id}/suspend`, { reason: '<svg onload=alert(4)>' });
    const { page, problems } = adminPage();
    await page.goto('/tokens');
    await page.getByRole('link', { name, exact: true }).waitFor();
    await page.goto(`/tokens/${t.id}`);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByText('<script>window.__xss=2</script>').waitFor();
    await page.getByText('<b onmouseover=alert(3)>x</b>').waitFor();
    await page.getByText('No calls in the last 30 days.').waitFor(); // never used: no empty chart
    await page.goto('/audit');
    await page.getByRole('cell', { name: '<svg onload=alert(4)>' }).first().waitFor();
    expect(await page.evaluate('window.__xss === undefined && document.querySelectorAll("img[src=x], main script, svg[onload], b[onmouseover]").length === 0')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('the Active switch suspends and resumes: introspection stops and comes back, and the usage chart shows it', async () => {
    const t = await createToken({ name: 'switch-me', scopes: ['tokens:read'] });
    expect(await introspect(t.secret)).toBe(true);
    const { page, problems } = adminPage();
    await page.goto('/tokens');
    await openToken(page, 'switch-me');
    const active = page.getByRole('switch', { name: 'Active' });
    expect(await active.getAttribute('aria-checked')).toBe('true');
    await active.click();
    await expect.poll(() => active.getAttribute('aria-checked')).toBe('false');
    expect(await introspect(t.secret)).toBe(false);
    await active.focus();
    await page.keyboard.press('Space'); // by keyboard too
    await expect.poll(() => active.getAttribute('aria-checked')).toBe('true');
    expect(await introspect(t.secret)).toBe(true);
    // The usage history (written in batches) shows those calls on the token's page.
    const usage = async () => (await api(server, admin, 'GET', `/v1/tokens/${t.id}/usage?granularity=day`)).body.totals;
    await expect.poll(usage, { timeout: 10_000 }).toMatchObject({ uses: 2, refused: 1 });
    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: /Usage, last 30 days/ }).innerText()).toContain('2 admitted, 1 refused (suspended 1)');
    expect(await page.getByRole('img', { name: /Calls per day: 2 admitted and 1 refused/ }).count()).toBe(1);
    await expectAccessible(page, 'token detail with usage');
    expect(problems).toEqual([]);
  });

  it('rotates with an overlap and shows the successor secret once', async () => {
    const t = await createToken({ name: 'rotate-me', scopes: ['tokens:read'] });
    const { page, problems } = adminPage();
    await page.goto('/tokens');
    await openToken(page, 'rotate-me');
    await page.getByRole('button', { name: 'Rotate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate rotate-me' });
    await dialog.getByRole('radio', { name: '1 hour' }).check();
    await expectAccessible(page, 'rotate dialog');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    const reveal = page.getByRole('dialog', { name: 'Token rotated' });
    const secret = await reveal.getByLabel(/Secret of rotate-me/).inputValue();
    expect((await api(server, secret, 'GET', '/v1/whoami')).body.token).toMatchObject({ name: 'rotate-me', rotated_from: t.id });
    expect(await introspect(t.secret)).toBe(true); // the old one overlaps for an hour
    await reveal.getByRole('checkbox', { name: /stored the secret/ }).check();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByText(`Rotated from`).locator('..').innerText()).toContain(t.id);
    expect(await page.content()).not.toContain(secret);
    expect(problems).toEqual([]);
  });

  it('edits scopes within what the session may grant; the server refuses the rest', async () => {
    const editor = await createToken({ name: 'editor', scopes: ['tokens:read', 'tokens:write', 'audit:read'] });
    await createToken({ name: 'edit-me', scopes: ['tokens:read'] });
    const { context, page, problems } = await open();
    await signInThroughPage(page, editor.secret);
    await openToken(page, 'edit-me');
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit edit-me' });
    const verify = dialog.getByRole('checkbox', { name: 'verify' });
    expect(await verify.isDisabled()).toBe(true);
    expect(await dialog.getByText('Your token does not hold verify, so it cannot grant it.').count()).toBe(1);
    await expectAccessible(page, 'edit dialog');
    await dialog.getByRole('checkbox', { name: 'audit:read' }).check();
    await dialog.getByLabel('Description').fill('reads the audit log too');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('dl.fields').innerText()).toMatch(/Scopes\s+tokens:read\s*audit:read/);
    await page.getByText('reads the audit log too').waitFor();
    // Past the greyed-out box, with the session's own CSRF token: the server says no.
    const refused = (await page.evaluate(`(async () => {
      const session = await (await fetch('/v1/session')).json();
      const id = location.pathname.split('/').pop();
      const res = await fetch('/v1/tokens/' + id + '/scopes', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.session.csrf_token }, body: JSON.stringify({ add: ['verify'] }) });
      return { status: res.status, body: await res.json() };
    })()`)) as { status: number; body: { detail: string } };
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('verify');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('revokes through the dialog that names the token; the audit log shows the reason', async () => {
    const t = await createToken({ name: 'revoke-me', scopes: ['tokens:read'] });
    const { page, problems } = adminPage();
    await page.goto('/tokens');
    await openToken(page, 'revoke-me');
    await page.getByRole('button', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke revoke-me?' });
    expect(await dialog.innerText()).toContain(t.id);
    await dialog.getByLabel('Reason (kept in the audit log)').fill('leaked in a CI log');
    const confirm = dialog.getByRole('button', { name: 'Revoke token' });
    expect(await confirm.getAttribute('aria-disabled')).toBe('true');
    await confirm.click({ force: true });
    await dialog.getByRole('alert').waitFor(); // not confirmed yet: the name must be typed
    expect(await introspect(t.secret)).toBe(true);
    await dialog.getByLabel(/Type the token’s name/).fill('revoke-me');
    await expectAccessible(page, 'revoke dialog');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.badge.status-revoked').first().waitFor();
    expect(await introspect(t.secret)).toBe(false);
    await page.getByRole('cell', { name: 'leaked in a CI log' }).first().waitFor();

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('token.revoked');
    const row = page.getByRole('row', { name: /leaked in a CI log/ });
    await row.waitFor();
    expect(await row.innerText()).toContain(t.id);
    await expectAccessible(page, 'audit log');
    await page.getByRole('link', { name: 'Scopes' }).click();
    await page.getByLabel('Name', { exact: true }).fill('invoice:read');
    await page.getByRole('button', { name: 'Add scope' }).click();
    await page.getByRole('row', { name: /invoice:read/ }).waitFor();
    await expectAccessible(page, 'scopes');
    expect(problems).toEqual([]);
  });

  it('shows API errors in place', async () => {
    await createToken({ name: 'taken-name', scopes: ['tokens:read'] });
    const { page, problems } = adminPage();
    await page.goto('/tokens');
    await page.getByRole('button', { name: '+ New token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New token' });
    await dialog.getByLabel('Name', { exact: true }).fill('taken-name');
    await dialog.getByRole('checkbox', { name: 'tokens:read' }).check();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => dialog.getByRole('alert').innerText()).toMatch(/a live token named "taken-name" already exists/);
    await page.goto('/tokens/tok_0000000000000000000000000');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('not found');
    expect(problems).toEqual([]);
  });

  it('ends the session within a second of its token being revoked from the CLI, and signs out', async () => {
    const t = await createToken({ name: 'on-call', scopes: ['tokens:read', 'tokens:revoke'] });
    const { context, page, problems } = await open();
    await signInThroughPage(page, t.secret);
    await page.getByRole('heading', { name: 'Tokens' }).waitFor();
    const env = { TOKENS_TOKEN: admin, TOKENS_API_URL: server.url, TOKENS_CONFIG_DIR: configDir, CI: '1', NO_COLOR: '1' };
    const cli = await execa('node', [BIN, 'revoke', t.id, '--reason', 'rotated out', '--yes'], { env, reject: false, stdin: 'ignore' });
    expect(cli.exitCode, cli.stderr).toBe(0);
    const revokedAt = Date.now();
    await page.getByText('Signed out: the console session ended because its token was revoked.').waitFor({ timeout: 5000 });
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    await page.getByLabel('Token secret').waitFor();

    // Sign out by hand: back at sign-in, and the session is gone on the server too.
    await signInThroughPage(page, admin);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    expect(await page.evaluate(`fetch('/v1/session').then((r) => r.status)`)).toBe(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a cross-site form post carrying the session cookie, and cannot be framed', async () => {
    const victim = await createToken({ name: 'csrf-target', scopes: ['tokens:read'] });
    const { context } = shared; // signed in: its cookie goes with whatever the other origin sends
    const target = `${server.url}/v1/tokens/${victim.id}/revoke`;
    const evil = await otherOrigin({
      '/': `<!doctype html><form method="post" action="${target}" enctype="text/plain">
        <input name='{"reason":"csrf","x":"' value='"}'></form>
        <script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"reason":"csrf"}' }); document.forms[0].submit();</script>`,
      '/framing': `<!doctype html><iframe id="frame" src="${server.url}/tokens"></iframe>`,
    });
    try {
      const evilPage = await context.newPage();
      const posted = evilPage.waitForResponse((r) => r.url() === target && r.request().method() === 'POST' && r.request().resourceType() === 'document');
      await evilPage.goto(evil.url);
      const answer = await posted;
      expect(answer.status()).toBe(403);
      expect((await api(server, admin, 'GET', `/v1/tokens/${victim.id}`)).body.status).toBe('active');

      const framing = await context.newPage();
      await framing.goto(`${evil.url}framing`);
      await framing.waitForTimeout(300);
      const frame = framing.frames().find((f) => f !== framing.mainFrame());
      expect(frame).toBeDefined();
      expect(frame!.url()).not.toBe(`${server.url}/tokens`); // the browser refused to render it
      await Promise.all([evilPage.close(), framing.close()]);
    } finally {
      await evil.close();
    }
  });
});

describe('sign-in brute force in the browser', () => {
  it('is throttled after 30 failures from one address, with the reason shown', async () => {
    const own = await startTestServer();
    const { context, page } = await newConsoleContext(browser, { baseURL: own.url });
    try {
      await page.goto('/');
      await page.getByLabel('Token secret').fill('tkn_wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').innerText()).toContain('not the secret of an active token');
      const statuses = (await page.evaluate(`(async () => {
        const out = [];
        for (let i = 0; i < 30; i++) out.push((await fetch('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: 'tkn_guess' + i }) })).status);
        return out;
      })()`)) as number[];
      expect(statuses.slice(0, 29)).toEqual(Array(29).fill(401));
      expect(statuses[29]).toBe(429);
      await page.getByLabel('Token secret').fill('tkn_one-more-guess');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').innerText()).toContain('too many failed authentication attempts');
    } finally {
      await context.close();
      await own.destroy();
    }
  });
});

describe('the console over HTTPS', () => {
  it('signs in with a Secure, __Host- prefixed, HttpOnly, SameSite=Strict cookie, and works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-console-tls-'));
    const ca = TestCa.create(join(dir, 'ca'));
    const pair = ca.issue('tokens server');
    const tls = await startTestServer({ tlsCert: pair.cert, tlsKey: pair.key }, {}, { trustCa: ca.cert });
    // The throwaway CA is not the browser's to trust; certificate checks are TLS tests' business.
    const context = await browser.newContext({ baseURL: tls.url, ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      await signInThroughPage(page, tls.adminSecret);
      await page.getByRole('heading', { name: 'Tokens' }).waitFor();
      await page.getByRole('link', { name: 'bootstrap', exact: true }).first().waitFor();
      const cookies = await context.cookies();
      expect(cookies.map(({ name, secure, httpOnly, sameSite, path }) => ({ name, secure, httpOnly, sameSite, path }))).toEqual([
        { name: '__Host-tokens_session', secure: true, httpOnly: true, sameSite: 'Strict', path: '/' },
      ]);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You signed out.').waitFor();
      expect(await context.cookies()).toEqual([]);
    } finally {
      await context.close();
      await tls.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
