import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { identityContract } from '@strata/identity/contract';
import { connectTcp, createContractClient, devTlsMaterial, ensureDevCertificates } from '@strata/rpc';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityMapping } from '@strata/identity-service';
import { behavesAsADataServiceMain, bootMain } from '@strata/runtime/test-support';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('identity-service main.ts in distributed mode', () => {
  const service = uniqueService('identity_main');
  const prefix = `/strata-test/${service}`;

  afterAll(async () => {
    await dropDatabase(service);
  });

  behavesAsADataServiceMain({
    name: 'identity-service',
    mainPath: main,
    mapping: identityMapping,
    contract: identityContract,
    schemaService: service,
    etcdPrefix: prefix,
    async createOne(client) {
      const user = await client.User.register({
        email: 'main@example.org',
        password: 'Correct-Horse-42',
        displayName: 'Booted',
      });
      await expect(client.User.get(user.id)).resolves.toMatchObject({ email: 'main@example.org' });
      return user.id;
    },
  });

  it('serves with mutual TLS when certificates are configured, answering a caller on its allow-list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-identity-tls-'));
    const certificates = await ensureDevCertificates({ dir, services: ['identity-service', 'account-api'] });
    const files = certificates.services['identity-service']!;
    const booted = await bootMain(main, {
      STRATA_DATABASE_SERVICE: service,
      STRATA_MIGRATE: '1',
      STRATA_REGISTRY: 'none',
      STRATA_TLS_CA_FILE: certificates.caCertFile,
      STRATA_TLS_CERT_FILE: files.certFile,
      STRATA_TLS_KEY_FILE: files.keyFile,
      STRATA_TLS_ALLOWED_CALLERS: 'account-api',
    });
    try {
      const connection = await connectTcp({
        host: '127.0.0.1',
        port: booted.port,
        tls: { ...(await devTlsMaterial(certificates, 'account-api')), serverService: 'identity-service' },
      });
      const client = createContractClient(identityContract, {
        service: 'identity-service',
        invoke: (request) => connection.call(request),
      });
      await expect(
        client.User.register({ email: 'tls@example.org', password: 'Correct-Horse-42', displayName: 'TLS' }),
      ).resolves.toMatchObject({ email: 'tls@example.org' });
      await connection.close();
      booted.child.kill('SIGTERM');
      expect(await booted.exited).toBe(0);
    } finally {
      booted.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
