// The benchmark's application service: answers every path with a small JSON body, registers
// itself in etcd under the run's prefix, and prints "ready <port>".
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EtcdRegistry } from '@strata/rpc';

const [hosts, prefix] = process.argv.slice(2);
if (hosts === undefined || prefix === undefined) {
  console.error('usage: upstream.ts <etcd hosts,comma-separated> <registry prefix>');
  process.exit(2);
}
const body = JSON.stringify({ ok: true, course: 'intro-to-ddd', lessons: 12 });
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const registry = new EtcdRegistry({ hosts: hosts.split(','), prefix, leaseTtlSeconds: 5 });
await registry.register({
  id: `bench-upstream-${process.pid}`,
  service: 'bench-api',
  host: '127.0.0.1',
  port,
});
process.on('SIGTERM', () => {
  void registry.close().then(() => process.exit(0));
});
console.log(`ready ${port}`);
