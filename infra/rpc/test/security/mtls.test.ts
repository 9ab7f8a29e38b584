import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  devTlsMaterial,
  ensureDevCertificates,
  type DevCertificates,
  type TlsMaterial,
} from '../../src/security/index.ts';
import {
  connectTcp,
  encodeFrame,
  FrameDecoder,
  listenTcp,
  type RpcConnection,
  type RpcListener,
} from '../../src/transport/index.ts';
import type { RpcHandler, RpcRequest } from '../../src/protocol.ts';

const SERVER = 'commerce-service';
const ALLOWED = 'learner-api';
const NOT_ALLOWED = 'studio-api';

let dir: string;
let ours: DevCertificates;
let foreign: DevCertificates;
let server: RpcListener;
let serverTls: TlsMaterial;
const seen: RpcRequest[] = [];

const handler: RpcHandler = async (request) => {
  seen.push(request);
  return { ok: true, result: { caller: request.metadata.caller } };
};

const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-mtls-'));
  ours = await ensureDevCertificates({ dir: join(dir, 'ours'), services: [SERVER, ALLOWED, NOT_ALLOWED] });
  // Same service name, other CA: what an attacker with a self-made certificate would present.
  foreign = await ensureDevCertificates({
    dir: join(dir, 'foreign'),
    services: [ALLOWED],
    caName: 'Someone else',
  });
  serverTls = await devTlsMaterial(ours, SERVER);
  server = await listenTcp({ handler, tls: { ...serverTls, allowedCallers: [ALLOWED] } });
});

afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function connectAs(material: TlsMaterial, serverService?: string): Promise<RpcConnection> {
  const connection = await connectTcp({
    host: server.address.host,
    port: server.address.port,
    tls: serverService === undefined ? material : { ...material, serverService },
  });
  cleanup.push(() => connection.close(0));
  return connection;
}

describe('mutual TLS between services', () => {
  it('accepts a caller on the allow-list and tells the handler who it is, whatever the client claimed', async () => {
    const connection = await connectAs(await devTlsMaterial(ours, ALLOWED));
    const response = await connection.call({
      service: SERVER,
      method: 'Course.publish',
      payload: null,
      metadata: { caller: { service: 'identity-service', userId: 'u-7' } },
    });
    expect(response).toEqual({ ok: true, result: { caller: { service: ALLOWED, userId: 'u-7' } } });
  });

  it('refuses a caller whose certificate is not on the allow-list before any method runs', async () => {
    const before = seen.length;
    const connection = await connectAs(await devTlsMaterial(ours, NOT_ALLOWED));
    const response = await connection.call({
      service: SERVER,
      method: 'Course.publish',
      payload: null,
      metadata: {},
    });
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'PERMISSION_DENIED',
        message: `service '${NOT_ALLOWED}' is not on this server's allow-list`,
      },
    });
    expect(seen.length).toBe(before);
  });

  it('refuses a caller with a certificate from another CA before any method runs', async () => {
    const before = seen.length;
    const impostor = { ...(await devTlsMaterial(foreign, ALLOWED)), ca: serverTls.ca };
    const connection = await connectAs(impostor);
    const outcome = await connection.call({
      service: SERVER,
      method: 'Course.publish',
      payload: null,
      metadata: {},
    });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'UNAUTHENTICATED',
        message: expect.stringMatching(/not trusted by this server's CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/),
      },
    });
    expect(seen.length).toBe(before);
  });

  it('refuses a caller without a certificate before any method runs', async () => {
    const before = seen.length;
    // Our client cannot be configured without a certificate, so a bare TLS socket plays the caller.
    const socket = tls.connect({ host: server.address.host, port: server.address.port, ca: serverTls.ca });
    const decoder = new FrameDecoder(1024);
    const frames: unknown[] = [];
    socket.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk)));
    socket.once('secureConnect', () =>
      socket.write(encodeFrame({ t: 1, id: 1, s: SERVER, m: 'Course.publish', p: null }, 1024)),
    );
    await new Promise((resolve) => socket.once('close', resolve));
    expect(frames).toEqual([
      {
        t: 4,
        e: {
          code: 'UNAUTHENTICATED',
          message: 'no client certificate was presented; this server requires mutual TLS',
        },
      },
    ]);
    expect(seen.length).toBe(before);
  });

  it('does not connect to a server whose certificate names another service', async () => {
    await expect(connectAs(await devTlsMaterial(ours, ALLOWED), 'identity-service')).rejects.toThrow(
      /names commerce-service, localhost, not 'identity-service'/,
    );
  });

  it('connects to the expected service whatever address it was reached at', async () => {
    const connection = await connectAs(await devTlsMaterial(ours, ALLOWED), SERVER);
    await expect(
      connection.call({ service: SERVER, method: 'Course.get', payload: null, metadata: {} }),
    ).resolves.toMatchObject({ ok: true });
  });
});

describe('development certificates', () => {
  it('are issued once: a second run keeps the CA and every certificate', async () => {
    const files = [
      ours.caCertFile,
      ours.caKeyFile,
      ...Object.values(ours.services).flatMap((s) => [s.certFile, s.keyFile]),
    ];
    const before = await Promise.all(files.map((file) => readFile(file, 'utf8')));
    await ensureDevCertificates({ dir: ours.dir, services: [SERVER, ALLOWED, NOT_ALLOWED] });
    expect(await Promise.all(files.map((file) => readFile(file, 'utf8')))).toEqual(before);
  });

  it('re-issue a certificate the CA no longer vouches for', async () => {
    const scratch = join(dir, 'reissue');
    const first = await ensureDevCertificates({ dir: scratch, services: ['links-service'] });
    const stale = await readFile(first.services['links-service']!.certFile, 'utf8');
    await rm(first.caCertFile);
    await ensureDevCertificates({ dir: scratch, services: ['links-service'] });
    expect(await readFile(first.services['links-service']!.certFile, 'utf8')).not.toEqual(stale);
  });

  it('refuse a service name that cannot be a certificate name', async () => {
    await expect(ensureDevCertificates({ dir: join(dir, 'bad'), services: ['Bad Name/..'] })).rejects.toThrow(
      /lower-case/,
    );
  });
});
