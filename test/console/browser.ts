// Debian's chromium driven by playwright-core (no browser download), for the console's browser
// tests: one launch per test file, a fresh context per flow, and axe-core run inside the page.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A context whose pages report script errors and alert()s to the test instead of hiding them. */
export async function newConsoleContext(browser: Browser, opts: { colorScheme?: 'light' | 'dark'; baseURL: string }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: opts.baseURL, colorScheme: opts.colorScheme ?? 'light', viewport: { width: 1280, height: 860 } });
  // Fail fast with the step that hung, well inside the test's own time limit.
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`a script opened a ${dialog.type()} dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, problems };
}

export async function signInThroughPage(page: Page, secret: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Token secret').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now (none expected). */
export async function expectAccessible(page: Page, view: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
  )) as string[];
  expect(violations, `axe on ${view}`).toEqual([]);
}

/** Everything the page keeps where a secret must never be: storage, the URL, history, readable cookies. */
export async function browserState(page: Page): Promise<string> {
  return (await page.evaluate(
    `JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href, history: history.length, state: history.state, cookie: document.cookie })`,
  )) as string;
}
