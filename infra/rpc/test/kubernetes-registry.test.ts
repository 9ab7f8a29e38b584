import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { KubernetesRegistry, type ServiceInstance } from '../src/index.ts';

/*
 * The Kubernetes registry against what a cluster answers: EndpointSlice lists and a watch stream
 * recorded from an API server (fixtures/kubernetes), served by a local HTTP server that checks the
 * request the way the API server would (path, label selector, bearer token); and SRV/A answers of a
 * headless Service from a local DNS server speaking the wire format.
 */

const fixtures = join(import.meta.dirname, 'fixtures/kubernetes');
const ids = (instances: readonly ServiceInstance[]) => instances.map((instance) => instance.id);
const silent = { warn: () => {} };

describe('KubernetesRegistry on EndpointSlices', () => {
  let server: Server;
  let apiUrl: string;
  let dir: string;
  const requests: string[] = [];
  let lists = 0;
  let watches = 0;
  let list: string;
  let watch: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-k8s-registry-'));
    await writeFile(join(dir, 'token'), 'recorded-service-account-token\n');
    list = await readFile(join(fixtures, 'commerce-service-slices.json'), 'utf8');
    watch = (await readFile(join(fixtures, 'commerce-service-watch.ndjson'), 'utf8')).trim().split('\n');
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url!, 'http://api');
      requests.push(`${url.pathname}?${url.searchParams.toString()}`);
      if (request.headers.authorization !== 'Bearer recorded-service-account-token') {
        return void response.writeHead(401).end('{"kind":"Status","code":401}');
      }
      if (url.pathname !== '/apis/discovery.k8s.io/v1/namespaces/strata/endpointslices') {
        return void response.writeHead(404).end();
      }
      const selector = url.searchParams.get('labelSelector');
      if (selector === 'kubernetes.io/service-name=forbidden-service') {
        return void response.writeHead(403).end('{"kind":"Status","reason":"Forbidden","code":403}');
      }
      if (selector !== 'kubernetes.io/service-name=commerce-service') {
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"kind":"EndpointSliceList","metadata":{"resourceVersion":"1"},"items":[]}');
      }
      if (url.searchParams.get('watch') !== 'true') {
        lists += 1;
        // After the 410, the relisting finds the set as it is now: one pod of the new ReplicaSet more.
        const body =
          lists === 1
            ? list
            : JSON.stringify({
                metadata: { resourceVersion: '48300' },
                items: [
                  {
                    metadata: { name: 'commerce-service-q9w8e' },
                    addressType: 'IPv4',
                    endpoints: [
                      {
                        addresses: ['10.244.4.12'],
                        conditions: { ready: true },
                        targetRef: { name: 'commerce-service-6d9f7c8b5-pqrst' },
                      },
                      {
                        addresses: ['10.244.5.3'],
                        conditions: { ready: true },
                        targetRef: { name: 'commerce-service-6d9f7c8b5-uvwxy' },
                      },
                    ],
                    ports: [{ name: 'rpc', port: 7000 }],
                  },
                ],
              });
        return void response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      }
      watches += 1;
      response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      if (watches > 1) return; // held open, as the API server holds a quiet watch
      // The recorded events one by one, each in its own chunk, the last one split across two.
      let index = 0;
      const next = () => {
        if (index >= watch.length) return;
        const line = `${watch[index++]}\n`;
        if (index === watch.length) {
          response.write(line.slice(0, 20));
          setTimeout(() => response.write(line.slice(20)), 20);
        } else {
          response.write(line);
          setTimeout(next, 40);
        }
      };
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const registry = (overrides: object = {}) =>
    new KubernetesRegistry({
      discovery: 'endpointslices',
      namespace: 'strata',
      apiUrl,
      tokenFile: join(dir, 'token'),
      tls: true,
      retryMs: 20,
      logger: silent,
      ...overrides,
    });

  it('lists the ready pods of a Service on its rpc port, named by pod', async () => {
    const kubernetes = registry();
    expect(await kubernetes.instances('commerce-service')).toEqual([
      {
        id: 'commerce-service-6d9f7c8b5-abcde',
        service: 'commerce-service',
        host: '10.244.1.17',
        port: 7000,
        version: '0.0.0',
        tls: true,
      },
      {
        id: 'commerce-service-6d9f7c8b5-fghij',
        service: 'commerce-service',
        host: '10.244.2.9',
        port: 7000,
        version: '0.0.0',
        tls: true,
      },
    ]);
    expect(await kubernetes.instances('studio-api')).toEqual([]);
    await kubernetes.close();
  });

  it('follows the watch: a pod turning unready, a new slice, a deleted slice, and a relist after 410 Gone', async () => {
    lists = 0;
    watches = 0;
    const kubernetes = registry();
    const seen: string[][] = [];
    const stop = await kubernetes.watch('commerce-service', (instances) => seen.push(ids(instances)));
    // The current set arrives before watch() resolves: nobody routes on a view not loaded yet.
    expect(seen).toEqual([['commerce-service-6d9f7c8b5-abcde', 'commerce-service-6d9f7c8b5-fghij']]);
    await waitFor('five views of the watched slices', () => seen.length >= 5, {
      timeoutMs: 5_000,
      everyMs: 10,
    });
    expect(seen).toEqual([
      ['commerce-service-6d9f7c8b5-abcde', 'commerce-service-6d9f7c8b5-fghij'],
      ['commerce-service-6d9f7c8b5-abcde'],
      ['commerce-service-6d9f7c8b5-abcde', 'commerce-service-6d9f7c8b5-pqrst'],
      ['commerce-service-6d9f7c8b5-pqrst'],
      ['commerce-service-6d9f7c8b5-pqrst', 'commerce-service-6d9f7c8b5-uvwxy'],
    ]);
    const watchRequests = requests.filter((request) => request.includes('watch=true'));
    // Watched from the listed version, then (after the 410) from the relisted one.
    expect(watchRequests[0]).toContain('resourceVersion=48211');
    await waitFor(
      'a second watch request (after the 410)',
      () => requests.filter((request) => request.includes('watch=true')).length >= 2,
      { timeoutMs: 5_000, everyMs: 10 },
    );
    expect(requests.filter((request) => request.includes('watch=true'))[1]).toContain(
      'resourceVersion=48300',
    );
    stop();
    await kubernetes.close();
  });

  it('says what is wrong when the service account may not list EndpointSlices', async () => {
    const kubernetes = registry();
    await expect(kubernetes.instances('forbidden-service')).rejects.toThrow(/answered 403.*service account/);
    await expect(
      registry({ tokenFile: join(dir, 'no-such-token') }).instances('commerce-service'),
    ).rejects.toThrow(/answered 401/);
    await kubernetes.close();
  });

  it('registers nothing: the cluster announces pods', async () => {
    const kubernetes = registry();
    const registration = await kubernetes.register({
      id: 'x',
      service: 'commerce-service',
      host: '10.0.0.1',
      port: 7000,
    });
    expect(registration.instance.id).toBe('x');
    await registration.deregister();
    expect(requests.every((request) => request.startsWith('/apis/discovery.k8s.io/'))).toBe(true);
    await kubernetes.close();
  });

  it('refuses options it cannot work with, by name', () => {
    expect(
      () => new KubernetesRegistry({ discovery: 'endpointslices', namespace: 'Not_A_Namespace' }),
    ).toThrow(/invalid Kubernetes registry options: namespace/);
  });
});

/** A DNS server answering SRV and A questions from a table, as a cluster's DNS answers for a headless Service. */
class RecordedDns {
  readonly socket: Socket = createSocket('udp4');
  srv = new Map<string, { port: number; target: string }[]>();
  a = new Map<string, string[]>();

  async start(): Promise<string> {
    this.socket.on('message', (message, remote) =>
      this.socket.send(this.#answer(message), remote.port, remote.address),
    );
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  #answer(query: Buffer): Buffer {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      const length = query[offset]!;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const questionEnd = offset + 5;
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(offset + 1);
    const answers: Buffer[] = [];
    const record = (rtype: number, rdata: Buffer) => {
      const head = Buffer.alloc(12);
      head.writeUInt16BE(0xc00c, 0); // the question's name
      head.writeUInt16BE(rtype, 2);
      head.writeUInt16BE(1, 4); // IN
      head.writeUInt32BE(5, 6); // TTL, as CoreDNS's default for cluster records
      head.writeUInt16BE(rdata.length, 10);
      answers.push(head, rdata);
    };
    const encodeName = (value: string) =>
      Buffer.concat([
        ...value.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])),
        Buffer.from([0]),
      ]);
    let count = 0;
    if (type === 33) {
      for (const { port, target } of this.srv.get(name) ?? []) {
        const fixed = Buffer.alloc(6);
        fixed.writeUInt16BE(0, 0);
        fixed.writeUInt16BE(50, 2);
        fixed.writeUInt16BE(port, 4);
        record(33, Buffer.concat([fixed, encodeName(target)]));
        count += 1;
      }
    } else if (type === 1) {
      for (const ip of this.a.get(name) ?? []) {
        record(1, Buffer.from(ip.split('.').map(Number)));
        count += 1;
      }
    }
    const known = this.srv.has(name) || this.a.has(name);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // response, recursion available; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(count, 6);
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}

describe('KubernetesRegistry on headless-Service DNS', () => {
  const dns = new RecordedDns();
  let server: string;
  const zone = 'strata.svc.cluster.local';

  beforeAll(async () => {
    server = await dns.start();
    // CoreDNS's answers for a headless Service: one SRV per ready pod, targets named by pod address.
    dns.srv.set(`_rpc._tcp.commerce-service.${zone}`, [
      { port: 7000, target: `10-244-1-17.commerce-service.${zone}` },
      { port: 7000, target: `10-244-2-9.commerce-service.${zone}` },
    ]);
    dns.a.set(`10-244-1-17.commerce-service.${zone}`, ['10.244.1.17']);
    dns.a.set(`10-244-2-9.commerce-service.${zone}`, ['10.244.2.9']);
    dns.srv.set(`_http._tcp.learner-api.${zone}`, [{ port: 8080, target: `10-244-7-1.learner-api.${zone}` }]);
    dns.a.set(`10-244-7-1.learner-api.${zone}`, ['10.244.7.1']);
  });

  afterAll(() => {
    dns.socket.close();
  });

  const registry = () =>
    new KubernetesRegistry({
      discovery: 'dns',
      namespace: 'strata',
      dnsServers: [server],
      tls: true,
      dnsPollMs: 100,
      logger: silent,
    });

  it('reads the instances from SRV records, the port from the record and the address from its target', async () => {
    const kubernetes = registry();
    expect(await kubernetes.instances('commerce-service')).toEqual([
      {
        id: '10-244-1-17',
        service: 'commerce-service',
        host: '10.244.1.17',
        port: 7000,
        version: '0.0.0',
        tls: true,
      },
      {
        id: '10-244-2-9',
        service: 'commerce-service',
        host: '10.244.2.9',
        port: 7000,
        version: '0.0.0',
        tls: true,
      },
    ]);
    // No rpc port: the next name, http; an unknown Service: nobody.
    expect(ids(await kubernetes.instances('learner-api'))).toEqual(['10-244-7-1']);
    expect(await kubernetes.instances('nobody')).toEqual([]);
    await kubernetes.close();
  });

  it('polls, and tells the listener only when the answer changed', async () => {
    const kubernetes = registry();
    const seen: string[][] = [];
    const stop = await kubernetes.watch('commerce-service', (instances) => seen.push(ids(instances)));
    expect(seen).toEqual([['10-244-1-17', '10-244-2-9']]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(seen).toHaveLength(1);
    dns.srv.set(`_rpc._tcp.commerce-service.${zone}`, [
      { port: 7000, target: `10-244-2-9.commerce-service.${zone}` },
    ]);
    await waitFor('a second answer from the polled DNS', () => seen.length === 2, {
      timeoutMs: 5_000,
      everyMs: 10,
    });
    expect(seen[1]).toEqual(['10-244-2-9']);
    stop();
    await kubernetes.close();
  });
});
