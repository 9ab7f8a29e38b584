import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// bench:redirect's second reference: node:http answering `302` to the same target and doing
// nothing else (no cache, no count, no visit) — what any redirect written on node:http pays for
// HTTP alone, so the table shows how much of the gap to nginx is Node's and how much the redirect's.
const target = process.argv[2]!;
const headers = ['cache-control', 'private, no-store', 'location', target];
const server = createServer((_request, response) => {
  response.writeHead(302, headers).end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`node return 302 on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close());
