// application/x-www-form-urlencoded, as RFC 7662 callers send their bodies (and RFC 6749 §2.3.1
// encodes the client id and secret inside HTTP Basic credentials).

/** One form-encoded component, as lenient as URLSearchParams (a bad escape stays as it is). */
export function decodeFormComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return new URLSearchParams(`x=${text}`).get('x')!;
  }
}

const valueOf = (pair: string, eq: number) => (eq < 0 ? '' : decodeFormComponent(pair.slice(eq + 1)));

/** A form body as an object (what URLSearchParams would give), except that the first of repeated fields wins. */
export function parseForm(text: string): Record<string, string> {
  const out: { token?: string; scope?: string; [field: string]: string | undefined } = {};
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const pair = text.slice(start, end);
      const eq = pair.indexOf('=');
      const key = decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq));
      // An introspection body's usual fields are stored by name: a store the engine caches, where a
      // key read from the body is looked up in its string table first, on every request.
      if (key === 'token') out.token ??= valueOf(pair, eq);
      else if (key === 'scope') out.scope ??= valueOf(pair, eq);
      else if (!Object.hasOwn(out, key)) out[key] = valueOf(pair, eq);
    }
    start = end + 1;
  }
  return out as Record<string, string>;
}
