import { runMigrateCommand } from '@strata/persistence';
import type { z } from '@strata/shared-kernel';
import { loadProcessConfig } from '../env-config.ts';
import { createLogger } from '../logger.ts';
import { stopWhenSupervisorLeaves } from '../topology-runner/supervised.ts';
import { dataServiceConfigSchema, type DataServiceConfig } from './data-service-config.ts';
import { databaseOf, serveDataService, type DataServiceDefinition } from './serve-data-service.ts';

/**
 * A data service's process in distributed mode: `node main.ts` serves, `node main.ts migrate`
 * applies migrations and exits. Serving opens MariaDB (migrating first when STRATA_MIGRATE=1) and
 * runs what `serveDataService` says; on SIGINT/SIGTERM it deregisters, drains and closes. `env` is
 * the service's own variables, checked with the platform's and handed to `create`.
 */
export async function runDataService<TEnv extends z.ZodRawShape = Record<never, never>>(
  service: DataServiceDefinition<z.output<z.ZodObject<TEnv>>> & { env?: TEnv },
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const purpose = argv[0] === 'migrate' ? 'migrate' : 'serve';
  const config = loadProcessConfig(service.name, dataServiceConfigSchema(purpose, service.env), env) as
    (DataServiceConfig & z.output<z.ZodObject<TEnv>>) | undefined;
  if (config === undefined) return;
  const logger = createLogger({ service: service.name, level: config.STRATA_LOG_LEVEL });
  if (purpose === 'migrate') {
    process.exitCode = await runMigrateCommand(databaseOf(service.name, config), service.mapping, (line) =>
      logger.info(line),
    );
    return;
  }
  if (argv.length > 0) {
    logger.fatal(`unknown command "${argv.join(' ')}"; run without arguments to serve, or with "migrate"`);
    process.exitCode = 2;
    return;
  }
  const serving = await serveDataService(service, config, logger);

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: deregistering, draining in-flight calls, then closing`);
    try {
      await serving.stop();
      logger.info(`${service.name} stopped cleanly`);
    } catch (error) {
      logger.error({ err: error }, `${service.name} did not stop cleanly`);
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT received'));
  process.once('SIGTERM', () => void stop('SIGTERM received'));
  stopWhenSupervisorLeaves((reason) => void stop(reason), config.STRATA_SUPERVISED);
}
