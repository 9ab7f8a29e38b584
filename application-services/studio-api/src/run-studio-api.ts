import { catalogContract } from '@strata/catalog/contract';
import {
  ConfigError,
  connectDataService,
  createLogger,
  JwtAccessTokenVerifier,
  remoteJwks,
  serveHttpService,
  ShutdownSequence,
} from '@strata/runtime';
import { createStudioApi } from './create-studio-api.ts';
import { readStudioApiConfig, type StudioApiConfig } from './studio-api-config.ts';

/**
 * studio-api as its own process: commerce-service found in etcd (or at one static address) and
 * called over TCP, access tokens verified against account-api's JWKS. Registers in etcd for the
 * gateway; stops cleanly on SIGINT/SIGTERM.
 */
export async function runStudioApi(env: Record<string, string | undefined>): Promise<void> {
  let config: StudioApiConfig;
  try {
    config = readStudioApiConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Plain lines on stderr: an operator reads these before any log pipeline is up.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ service: 'studio-api', level: config.STRATA_LOG_LEVEL });
  const shutdown = new ShutdownSequence();
  const commerce = await connectDataService({
    service: 'commerce-service',
    contracts: [catalogContract],
    env: config,
    staticAddress: config.STRATA_COMMERCE_ADDRESS,
    logger,
  });
  shutdown.add('commerce-service connections', () => commerce.close());
  const app = await createStudioApi({
    commerce: commerce.invoke,
    accessTokens: new JwtAccessTokenVerifier({
      keys: remoteJwks(config.STRATA_JWKS_URL),
      issuer: config.STRATA_TOKEN_ISSUER,
      audience: config.STRATA_TOKEN_AUDIENCE,
    }),
    logger,
    bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
    healthChecks: [commerce.healthCheck],
  });
  await serveHttpService({ service: 'studio-api', app, env: config, logger, shutdown });
}
