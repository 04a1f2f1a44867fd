// Context for the `tokens list --json` figure: the least a Node client can do for the same answer —
// one node:http GET of /v1/tokens?limit=100 with the same credential, the body printed as it comes.
import { get } from 'node:http';

const url = new URL('/v1/tokens?limit=100', process.env.TOKENS_API_URL);
get(url, { headers: { authorization: `Bearer ${process.env.TOKENS_TOKEN}` } }, (res) => res.pipe(process.stdout));
