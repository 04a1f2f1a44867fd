// hyperfine --prepare for the `tokens create --json` figure: revokes the live token named
// $BENCH_CREATE_NAME (if any), so each measured run creates it anew. Not timed.
const base = process.env.TOKENS_API_URL;
const headers = { authorization: `Bearer ${process.env.TOKENS_TOKEN}`, 'content-type': 'application/json' };
const name = process.env.BENCH_CREATE_NAME;
const found = await (await fetch(`${base}/v1/tokens?name=${encodeURIComponent(name)}&status=active`, { headers })).json();
for (const token of found.data ?? []) {
  const res = await fetch(`${base}/v1/tokens/${token.id}/revoke`, { method: 'POST', headers, body: '{}' });
  if (!res.ok) throw new Error(`revoking ${token.id}: HTTP ${res.status}`);
}
