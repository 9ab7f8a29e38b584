import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Writable } from 'node:stream';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { stackEndpoints } from '@strata/dev-stack';
import { InProcessEventBroker } from '@strata/events';
import { databaseNameFor } from '@strata/persistence';
import {
  EtcdRegistry,
  ensureDevCertificates,
  listenTcp,
  readTlsMaterial,
  type RpcListener,
} from '@strata/rpc';
import { createLogger } from '@strata/runtime';
import { systemClock } from '@strata/shared-kernel';
import { Etcd3 } from 'etcd3';
import { createConnection } from 'mysql2/promise';
import { docExamples, hexBytes, type DocExample } from './doc-examples.ts';
import { decodePlain, encodePlain } from './plain-msgpack.ts';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

jest.setTimeout(60_000);

// A client written from docs/rpc-wire-format.md alone: frames built from the document's JSON
// examples by a msgpack encoder of the test's own, sent over a raw mutual-TLS socket (with the
// development certificates the document points to) to a running commerce-service, and answers
// compared with the ones the document shows.

const endpoints = stackEndpoints();
const run = randomBytes(6).toString('hex');
const service = `t_wiredoc_${run}`;

/** The documented JSON with every `"<…>"` string standing for any string. */
function documented(json: string): unknown {
  return JSON.parse(json, (_key, value: unknown) =>
    typeof value === 'string' && /^<.+>$/.test(value) ? expect.any(String) : value,
  );
}

function framed(body: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(body.length);
  return Buffer.concat([prefix, body]);
}

/** A raw TLS socket reading whole frames, as section 9 of the document describes. */
class RawClient {
  readonly #socket: tls.TLSSocket;
  #buffer = Buffer.alloc(0);
  #waiting: (() => void) | undefined;

  constructor(socket: tls.TLSSocket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#waiting?.();
    });
  }

  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** The next frame's bytes, length prefix included. */
  async nextFrame(): Promise<Buffer> {
    while (this.#buffer.length < 4 || this.#buffer.length < 4 + this.#buffer.readUInt32BE(0)) {
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
    const frame = this.#buffer.subarray(0, 4 + this.#buffer.readUInt32BE(0));
    this.#buffer = this.#buffer.subarray(frame.length);
    return frame;
  }

  close(): void {
    this.#socket.end();
  }
}

describe('docs/rpc-wire-format.md, followed by a client that knows nothing else', () => {
  let examples: Map<string, DocExample>;
  let certsDir: string;
  let commerce: CommerceService;
  let listener: RpcListener;
  let client: RawClient;

  const block = (name: string, language: 'json' | 'hex'): string => {
    const text = examples.get(name)?.[language];
    if (text === undefined) throw new Error(`docs/rpc-wire-format.md has no ${language} example ${name}`);
    return text;
  };
  const encoded = (name: string): Buffer => framed(encodePlain(JSON.parse(block(name, 'json'))));

  beforeAll(async () => {
    examples = await docExamples('rpc-wire-format.md');
    certsDir = await mkdtemp(join(tmpdir(), 'strata-wire-docs-'));
    // What `npm run start:distributed` leaves in .strata/distributed/certs (section 1.1).
    const certificates = await ensureDevCertificates({
      dir: certsDir,
      services: ['commerce-service', 'demo-seed'],
    });
    commerce = await createCommerceService({
      paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      database: { kind: 'mysql', service, ...endpoints.mysql, poolSize: 3, migrateOnStart: true },
      clock: systemClock,
      broker: new InProcessEventBroker(),
      logger: createLogger({
        service: 'wire-docs-test',
        level: 'warn',
        destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
      }),
    });
    const commerceFiles = certificates.services['commerce-service']!;
    listener = await listenTcp({
      handler: commerce.handler,
      tls: {
        ...(await readTlsMaterial({
          caFile: certificates.caCertFile,
          certFile: commerceFiles.certFile,
          keyFile: commerceFiles.keyFile,
        })),
        allowedCallers: ['studio-api', 'learner-api', 'demo-seed'],
      },
    });
    const socket = tls.connect({
      host: '127.0.0.1',
      port: listener.address.port,
      minVersion: 'TLSv1.3',
      ca: await readFile(join(certsDir, 'ca.crt')),
      cert: await readFile(join(certsDir, 'demo-seed.crt')),
      key: await readFile(join(certsDir, 'demo-seed.key')),
    });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    client = new RawClient(socket);
  });

  afterAll(async () => {
    client?.close();
    await listener?.close();
    await commerce?.close();
    await rm(certsDir, { recursive: true, force: true });
    const admin = await createConnection({ ...endpoints.mysql });
    await admin.query(`drop database if exists \`${databaseNameFor(service)}\``);
    await admin.end();
  });

  it('shows in hex exactly the bytes its JSON examples encode to', () => {
    const both = [...examples].filter(([, blocks]) => blocks.json !== undefined && blocks.hex !== undefined);
    expect(both.map(([name]) => name)).toContain('get-request');
    for (const [name, blocks] of both) {
      expect({ name, bytes: encoded(name).toString('hex') }).toEqual({
        name,
        bytes: hexBytes(blocks.hex!).toString('hex'),
      });
    }
    expect(decodePlain(hexBytes(block('cancel', 'hex')).subarray(4))).toEqual({ t: 3, id: 1 });
    expect(decodePlain(hexBytes(block('goaway', 'hex')).subarray(4))).toEqual({ t: 4 });
  });

  it.each(['get', 'creation', 'command', 'finder', 'invalid', 'wrong-service'])(
    'answers the %s example as documented, over mutual TLS with the development certificates',
    async (name) => {
      client.write(encoded(`${name}-request`));
      const answer = await client.nextFrame();
      expect(decodePlain(answer.subarray(4))).toEqual(documented(block(`${name}-answer`, 'json')));
      const hex = examples.get(`${name}-answer`)?.hex;
      if (hex !== undefined) expect(answer.toString('hex')).toBe(hexBytes(hex).toString('hex'));
    },
  );

  it('says goaway with the documented bytes when the server drains, and answers a request that crosses it as documented', async () => {
    const drained = listener.drain(30_000);
    client.write(encoded('crossing-request'));
    expect((await client.nextFrame()).toString('hex')).toBe(hexBytes(block('goaway', 'hex')).toString('hex'));
    const answer = await client.nextFrame();
    expect(decodePlain(answer.subarray(4))).toEqual(documented(block('crossing-answer', 'json')));
    client.close();
    await drained;
  });

  it('describes the etcd key and value an instance registers under', async () => {
    const value = JSON.parse(block('registry-value', 'json')) as { id: string; service: string };
    const prefix = `/strata/wire-docs-${run}/services`;
    const registry = new EtcdRegistry({ hosts: endpoints.etcdHosts, prefix, leaseTtlSeconds: 2 });
    const etcd = new Etcd3({ hosts: endpoints.etcdHosts });
    try {
      const registration = await registry.register(value as Parameters<EtcdRegistry['register']>[0]);
      const stored = await etcd.getAll().prefix(`${prefix}/`).strings();
      expect(Object.keys(stored)).toEqual([`${prefix}/${value.service}/${value.id}`]);
      expect(JSON.parse(Object.values(stored)[0]!)).toEqual(value);
      await registration.deregister();
    } finally {
      await registry.close();
      etcd.close();
    }
  });
});
