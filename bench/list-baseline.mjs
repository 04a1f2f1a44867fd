// Context for the `tokens list --json` figure: the least a Node client can do for the same answer —
// one node:http GET of /v1/tokens?limit=100 with the same credential, the body printed as it comes.
// node:http through process.getBuiltinModule, as the CLI takes it: an ESM `import ... from 'node:http'`
// reads every export of the module, and the lazy getters among them load Node's internal fetch
// (undici, zlib, http2…), which would make this baseline measure an import rather than a GET.
const { get } = process.getBuiltinModule('node:http');

const url = new URL('/v1/tokens?limit=100', process.env.TOKENS_API_URL);
get(url, { headers: { authorization: `Bearer ${process.env.TOKENS_TOKEN}` } }, (res) => res.pipe(process.stdout));
