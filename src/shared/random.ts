// Random bytes, with node:crypto loaded on first use: the CLI loads the modules that call this for
// every command, and most commands never need random bytes (README, Performance).
export function randomBytes(size: number) {
  return process.getBuiltinModule('node:crypto').randomBytes(size);
}
