import {
  ConfigError,
  connectDataService,
  createLogger,
  JwtAccessTokenVerifier,
  remoteJwks,
} from '@strata/runtime';
import { createStudioApi } from './create-studio-api.ts';
import { readStudioApiConfig, type StudioApiConfig } from './studio-api-config.ts';

/**
 * studio-api as its own process: commerce-service found in etcd (or at one static address) and
 * called over TCP, access tokens verified against account-api's JWKS. Stops cleanly on SIGINT/SIGTERM.
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
  const commerce = await connectDataService({
    service: 'commerce-service',
    env: config,
    staticAddress: config.STRATA_COMMERCE_ADDRESS,
    logger,
  });
  const app = await createStudioApi({
    commerce: commerce.invoke,
    accessTokens: new JwtAccessTokenVerifier({
      keys: remoteJwks(config.STRATA_JWKS_URL),
      issuer: config.STRATA_TOKEN_ISSUER,
      audience: config.STRATA_TOKEN_AUDIENCE,
    }),
    logger,
    bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
  });
  await app.listen({ port: config.STRATA_HTTP_PORT, host: config.STRATA_HTTP_HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.STRATA_HTTP_PORT;
  logger.info(
    { host: config.STRATA_HTTP_HOST, port, registry: config.STRATA_REGISTRY },
    `studio-api listening on http://${config.STRATA_HTTP_HOST}:${port}`,
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: closing HTTP, then the commerce-service connections`);
    try {
      await app.close();
      await commerce.close();
      logger.info('studio-api stopped cleanly');
    } catch (error) {
      logger.error({ err: error }, 'studio-api did not stop cleanly');
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
