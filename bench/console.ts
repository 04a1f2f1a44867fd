// The console's first load (README, Console): the gzipped and brotli bytes of the JS and CSS a first
// visit downloads, and the time until the token list is rendered in Debian's chromium — the first
// visit (empty browser cache) and a later one (assets cached) — against fetching the same list as
// JSON with curl, all against the same server in the same run.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const exec = promisify(execFile);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** What the Tokens page asks for first: live tokens, newest first, one page. */
const LIST_PATH = '/v1/tokens?status=active%2Csuspended&sort=-created_at&limit=25';
const ROUNDS = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Bytes on the wire for `path` with this Accept-Encoding. */
function wireBytes(base: string, path: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${base}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
    })
      .on('error', reject)
      .end();
  });
}

async function curlMs(url: string, admin: string): Promise<number> {
  const { stdout } = await exec('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', '-H', `authorization: Bearer ${admin}`, url]);
  return Number(stdout) * 1000;
}

export interface ConsoleResults {
  assets: string[];
  gzipBytes: number;
  brotliBytes: number;
  rawBytes: number;
  firstVisitMs: number;
  cachedVisitMs: number;
  curlPageMs: number;
  curlAllMs: number;
  tokens: number;
  rows: number;
}

export async function measureConsole(base: string, admin: string, tokens: number): Promise<ConsoleResults> {
  const html = await (await fetch(`${base}/`)).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const sum = async (encoding: string) => (await Promise.all(assets.map((a) => wireBytes(base, a, encoding)))).reduce((a, b) => a + b, 0);
  const [gzipBytes, brotliBytes, rawBytes] = [await sum('gzip'), await sum('br'), await sum('identity')];

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    // One sign-in; every measured visit carries its cookie.
    const signIn = await browser.newContext({ baseURL: base });
    const page = await signIn.newPage();
    await page.goto('/');
    await page.getByLabel('Token secret').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('table.tokens tbody tr');
    const cookies = await signIn.cookies();
    await signIn.close();

    const rendered = 'table.tokens tbody tr:nth-child(25)';
    const first: number[] = [];
    const cached: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const context = await browser.newContext({ baseURL: base });
      await context.addCookies(cookies);
      const visit = await context.newPage();
      let started = performance.now();
      await visit.goto('/tokens');
      await visit.waitForSelector(rendered);
      first.push(performance.now() - started);
      // The same browser again: the fingerprinted assets come from its cache.
      started = performance.now();
      await visit.goto('/tokens');
      await visit.waitForSelector(rendered);
      cached.push(performance.now() - started);
      await context.close();
    }
    const curlPage: number[] = [];
    const curlAll: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      curlPage.push(await curlMs(`${base}${LIST_PATH}`, admin));
      curlAll.push(await curlMs(`${base}/v1/tokens?limit=1000`, admin));
    }
    return {
      assets,
      gzipBytes,
      brotliBytes,
      rawBytes,
      firstVisitMs: median(first),
      cachedVisitMs: median(cached),
      curlPageMs: median(curlPage),
      curlAllMs: median(curlAll),
      tokens,
      rows: 25,
    };
  } finally {
    await browser.close();
  }
}
