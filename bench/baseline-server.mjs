// The throughput and latency baseline: a bare node:http server that reads the request body the way a
// real handler must and answers a fixed introspection JSON. No framework, no checks, no logging.
import { createServer } from 'node:http';

const answer = JSON.stringify({ active: true, scope: 'query', client_id: 'tok_01baseline0000000000000000', iat: 1767225600, token_type: 'Bearer' });
const length = String(Buffer.byteLength(answer));

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    Buffer.concat(chunks).toString();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
    res.end(answer);
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
