// A repository with leaked secrets for the scanning tests: one in prose, one in JSON, one in YAML and
// one in an env file, among look-alikes that are not secrets (random base62 one character short or
// long, or with a wrong checksum). Everything is generated when the test runs, so no secret-shaped
// string is ever committed for a scanner or a hook to flag.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '../../src/shared/secret.js';
import { withTypo } from '../helpers/secrets.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomBase62 = (length: number) => Array.from({ length }, () => BASE62[Math.floor(Math.random() * 62)]).join('');

export interface Planted {
  /** Relative to the repository. */
  file: string;
  line: number;
  column: number;
  secret: string;
}

export interface FixtureRepo {
  dir: string;
  planted: Planted[];
  /** Strings shaped almost like secrets, none of which is one. */
  lookalikes: string[];
  remove(): void;
}

/** Writes the repository with `secrets` (four of them) planted; the look-alikes are new each time. */
export function fixtureRepo(secrets: string[]): FixtureRepo {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-scan-'));
  const [prose, json, yaml, env] = secrets;
  const short = `tkn_${randomBase62(37)}`;
  const long = `tkn_${randomBase62(39)}`;
  const badChecksum = withTypo(generateSecret('tkn'));
  const files: Record<string, string> = {
    'NOTES.md': `# Staging\n\nThe staging deploy used ${prose} until Friday; the old ${short} is gone.\n`,
    'config/service.json': `${JSON.stringify({ service: 'billing', api_token: json, previous: long }, null, 2)}\n`,
    'deploy/values.yaml': `image: billing:1.4\nenv:\n  - name: TOKENS_TOKEN\n    value: "${yaml}"\n  - name: CACHE_KEY\n    value: "${badChecksum}"\n`,
    '.env': `DATABASE_URL=postgres://db/billing\nTOKENS_TOKEN=${env}\n`,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const at = (file: string, secret: string): Planted => {
    const lines = files[file]!.split('\n');
    const line = lines.findIndex((l) => l.includes(secret));
    return { file, line: line + 1, column: lines[line]!.indexOf(secret) + 1, secret };
  };
  return {
    dir,
    planted: [at('.env', env!), at('NOTES.md', prose!), at('config/service.json', json!), at('deploy/values.yaml', yaml!)],
    lookalikes: [short, long, badChecksum],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
