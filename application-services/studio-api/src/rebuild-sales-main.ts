import { loadProcessConfig } from '@strata/runtime';
import { z } from '@strata/shared-kernel';
import { rebuildSalesReadModel, type RebuildProgress } from './rebuild-sales.ts';
import { RedisSalesReadModel } from './redis-sales-read-model.ts';
import { salesReadModelEnvShape } from './studio-api-config.ts';

// `npm run studio:rebuild-sales`: clears the distributed sales read model (the Redis keys under
// STRATA_REDIS_KEY_PREFIX) and rebuilds it by replaying ordering's topic from the beginning. Reads
// the same variables as studio-api's main.ts; docs/runbooks/rebuild-sales-read-model.md says when
// and how to run it. Exit code 0 when every event was counted, 1 when some failed (listed), 2 on a
// bad environment.

const describe = (progress: RebuildProgress): string =>
  `read ${progress.read} events: applied ${progress.applied}, already counted ${progress.duplicates}, ` +
  `not sales ${progress.skipped}, failed ${progress.failed}`;

async function main(): Promise<void> {
  const config = loadProcessConfig('studio:rebuild-sales', z.object(salesReadModelEnvShape), process.env);
  if (config === undefined) return;
  const readModel = RedisSalesReadModel.connect({
    url: config.STRATA_REDIS_URL,
    prefix: config.STRATA_REDIS_KEY_PREFIX,
    processedIdsKept: config.STRATA_SALES_PROCESSED_IDS_KEPT,
  });
  try {
    console.log(
      `Rebuilding the sales read model under ${config.STRATA_REDIS_KEY_PREFIX} from ordering's topic` +
        `${config.STRATA_EVENT_NAMESPACE === undefined ? '' : ` in namespace ${config.STRATA_EVENT_NAMESPACE}`}` +
        ` on ${config.STRATA_KAFKA_BROKERS.join(',')}…`,
    );
    const outcome = await rebuildSalesReadModel({
      readModel,
      brokers: config.STRATA_KAFKA_BROKERS,
      ...(config.STRATA_EVENT_NAMESPACE === undefined ? {} : { namespace: config.STRATA_EVENT_NAMESPACE }),
      consumerGroup: config.STRATA_SALES_CONSUMER_GROUP,
      onProgress: (progress) => console.log(`  ${describe(progress)}`),
    });
    console.log(`Rebuilt: ${describe(outcome)}; figures for ${outcome.courses} courses.`);
    for (const failure of outcome.failures) {
      console.error(
        `  not counted: partition ${failure.partition} offset ${failure.offset}: ${failure.reason}`,
      );
    }
    if (outcome.failed > 0) process.exitCode = 1;
  } finally {
    await readModel.close();
  }
}

main().catch((error: unknown) => {
  console.error('studio:rebuild-sales failed:', error);
  process.exit(1);
});
