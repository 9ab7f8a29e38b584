import { catalogContract } from '@strata/catalog/contract';
import { identityContract } from '@strata/identity/contract';
import { connectDataService, type DataServiceEnv } from '@strata/runtime';
import { seedDemoData, type SeedOutcome } from '../seed/demo-data.ts';
import { DEMO_SEED, hostOf, type Plan } from './process-layout.ts';

/** The demo data, through the contracts over the same mutual-TLS RPC the services use. */
export async function seedThroughRpc(plan: Plan): Promise<SeedOutcome> {
  const files = plan.certificates.services[DEMO_SEED]!;
  const env: DataServiceEnv = {
    STRATA_REGISTRY: 'etcd',
    STRATA_ETCD_HOSTS: plan.env.STRATA_ETCD_HOSTS,
    STRATA_ETCD_PREFIX: plan.etcdPrefix,
    STRATA_RPC_PLAINTEXT: false,
    STRATA_TLS_CA_FILE: plan.certificates.caCertFile,
    STRATA_TLS_CERT_FILE: files.certFile,
    STRATA_TLS_KEY_FILE: files.keyFile,
  };
  const logger = {
    warn: (details: Record<string, unknown>, message: string) => console.warn(message, details),
  };
  const identity = await connectDataService({
    service: hostOf(identityContract.context),
    contracts: [identityContract],
    env,
    logger,
  });
  const commerce = await connectDataService({
    service: hostOf(catalogContract.context),
    contracts: [catalogContract],
    env,
    logger,
  });
  try {
    return await seedDemoData({ identity: identity.invoke, commerce: commerce.invoke });
  } finally {
    await Promise.all([identity.close(), commerce.close()]);
  }
}
