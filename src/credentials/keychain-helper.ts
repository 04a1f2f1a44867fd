// Runs one OS keychain operation in its own process, so a keychain that hangs (a D-Bus peer that
// never answers blocks even the binding's constructor) can be killed instead of hanging the CLI.
// Request on stdin, never argv: {"op":"get"|"set"|"delete","service","account","secret"?}.
// Standalone on purpose (no relative imports): it is its own bundle entry and runs from source in tests.
import { AsyncEntry } from '@napi-rs/keyring';

interface Request {
  op: 'get' | 'set' | 'delete';
  service: string;
  account: string;
  secret?: string;
}

async function readRequest(): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request;
}

function reply(body: unknown): void {
  process.stdout.write(JSON.stringify(body));
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

const request = await readRequest();
let entry: AsyncEntry;
try {
  // On Linux only the Secret Service persists; the kernel keyring fallback forgets on reboot.
  entry = new AsyncEntry(request.service, request.account, { linux: { store: 'secret-service' } });
} catch (err) {
  reply({ ok: false, unavailable: true, message: firstLine(err) });
  process.exit(0);
}
try {
  if (request.op === 'get') reply({ ok: true, value: await entry.getPassword() });
  else if (request.op === 'set') {
    await entry.setPassword(request.secret ?? '');
    reply({ ok: true });
  } else reply({ ok: true, value: await entry.deleteCredential() });
} catch (err) {
  reply({ ok: false, unavailable: false, message: firstLine(err) });
}
