// The scanner rules the repository ships (scanners/, README Secret scanning), run by the real tools on
// a repository with a secret in prose, JSON, YAML and an env file: secretlint from npm, and gitleaks
// 8.16 from Debian's package (scripts/ensure-gitleaks.sh fetches it for scripts/test.sh).
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/shared/secret.js';
import { readmeCodeBlocks } from '../helpers/readme.js';
import { fixtureRepo, type FixtureRepo } from './fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GITLEAKS = join(ROOT, 'node_modules/.cache/gitleaks/usr/bin/gitleaks');

let repo: FixtureRepo;
beforeAll(() => {
  repo = fixtureRepo([generateSecret('tkn'), generateSecret('tkn'), generateSecret('tkn'), generateSecret('tkn')]);
});
afterAll(() => repo?.remove());

const where = (findings: { file: string; line: number }[]) => findings.map((f) => `${f.file}:${f.line}`).sort();
const planted = () => where(repo.planted);

describe('secretlint with scanners/.secretlintrc.cjs', () => {
  it('finds the 4 planted secrets and nothing else: the rule checks the checksum', async () => {
    const r = await execa(join(ROOT, 'node_modules/.bin/secretlint'), ['--secretlintrc', join(ROOT, 'scanners/.secretlintrc.cjs'), '--format', 'json', '--no-maskSecrets', '**/*'], {
      cwd: repo.dir,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { loc: { start: { line: number } }; message: string }[] }[];
    const findings = results.flatMap((f) => f.messages.map((m) => ({ file: relative(repo.dir, f.filePath), line: m.loc.start.line, message: m.message })));
    expect(where(findings)).toEqual(planted());
    // The message names the public start only (secretlint masks even that unless --no-maskSecrets).
    for (const f of findings) expect(f.message).toMatch(/^found a tokens secret \(tkn_[0-9A-Za-z]{6}…\)/);
    for (const secret of repo.planted.map((p) => p.secret)) for (const f of findings) expect(f.message).not.toContain(secret);
  });

  it('takes other prefixes from its options', async () => {
    const other = fixtureRepo([generateSecret('acme'), generateSecret('acme'), generateSecret('acme'), generateSecret('tkn')]);
    try {
      const config = JSON.stringify({ rules: [{ id: join(ROOT, 'scanners/secretlint-rule-tokens.mjs'), options: { prefixes: ['acme'] } }] });
      const r = await execa(join(ROOT, 'node_modules/.bin/secretlint'), ['--secretlintrcJSON', config, '--format', 'json', '**/*'], { cwd: other.dir, reject: false });
      const results = JSON.parse(r.stdout) as { filePath: string; messages: unknown[] }[];
      expect(results.filter((f) => f.messages.length).map((f) => relative(other.dir, f.filePath)).sort()).toEqual(['NOTES.md', 'config/service.json', 'deploy/values.yaml']);
    } finally {
      other.remove();
    }
  });
});

describe('gitleaks with scanners/gitleaks.toml', () => {
  it('finds the 4 planted secrets; no look-alike of the wrong length; a wrong checksum it cannot tell', async () => {
    expect(existsSync(GITLEAKS), 'gitleaks is missing: run bash scripts/ensure-gitleaks.sh (scripts/test.sh does)').toBe(true);
    const report = join(mkdtempSync(join(tmpdir(), 'tokens-gitleaks-')), 'report.json');
    const r = await execa(GITLEAKS, ['detect', '--no-git', '--no-banner', '--source', '.', '--config', join(ROOT, 'scanners/gitleaks.toml'), '--report-format', 'json', '--report-path', report], {
      cwd: repo.dir,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(1);
    const findings = (JSON.parse(readFileSync(report, 'utf8')) as { File: string; StartLine: number; Secret: string }[]).map((f) => ({ file: f.File, line: f.StartLine, secret: f.Secret }));
    const [short, long, badChecksum] = repo.lookalikes;
    expect(findings.map((f) => f.secret)).not.toContain(short);
    expect(findings.some((f) => f.secret.startsWith(long!.slice(0, 20)))).toBe(false);
    // A regular expression cannot check the CRC (README says so; tokens scan does): exactly the
    // planted four and the one look-alike of the right shape.
    expect(where(findings)).toEqual([...planted(), `deploy/values.yaml:${repo.planted.find((p) => p.file === 'deploy/values.yaml')!.line + 2}`].sort());
    expect(findings.find((f) => f.secret === badChecksum)).toBeDefined();
    rmSync(join(report, '..'), { recursive: true, force: true });
  });
});

describe('the README', () => {
  it('prints the rules exactly as shipped in scanners/', () => {
    const blocks = readmeCodeBlocks('## Secret scanning');
    const shipped = (file: string) => readFileSync(join(ROOT, 'scanners', file), 'utf8');
    expect(blocks.filter((b) => b.lang === 'toml').map((b) => b.text)).toEqual([shipped('gitleaks.toml')]);
    expect(blocks.filter((b) => b.lang === 'js').map((b) => b.text)).toEqual([shipped('.secretlintrc.cjs'), shipped('secretlint-rule-tokens.mjs')]);
  });
});
