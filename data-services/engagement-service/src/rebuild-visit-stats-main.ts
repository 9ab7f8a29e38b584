import { topicFor } from '@strata/events';
import { openDatabase, type Database } from '@strata/persistence';
import { loadProcessConfig } from '@strata/runtime/env';
import { databaseOf, dataServiceConfigSchema, type DataServiceConfig } from '@strata/runtime/data-service';
import { ENGAGEMENT_SERVICE, engagementMapping } from './create-engagement-service.ts';
import {
  rebuildLinkVisitStats,
  VisitStatsRebuildRefused,
  type VisitStatsRebuildProgress,
} from './links/visit-stats/rebuild-visit-stats.ts';

// `npm run links:rebuild-visit-stats [-- --drop-unheard]`: rebuilds engagement-service's
// `link_visit_hours` by replaying the links topic from its start, while engagement-service keeps
// consuming (rebuild-visit-stats.ts says how that stays safe). Reads the same variables as
// engagement-service's main.ts (STRATA_MYSQL_*, STRATA_DATABASE_SERVICE, STRATA_KAFKA_BROKERS,
// STRATA_EVENT_NAMESPACE); docs/runbooks/rebuild-link-visit-stats.md says when and how to run it.
// Exit code 0: rebuilt, every event read; 1: some events refused (rebuilt without them, listed), or
// nothing changed because MariaDB or Kafka was unreachable or the rebuild refused; 2: a bad
// environment or argument.

const COMMAND = 'links:rebuild-visit-stats';

const describe = (progress: VisitStatsRebuildProgress): string =>
  `read ${progress.read} events: visits ${progress.visits}, repeated visits ${progress.repeated}, ` +
  `other events ${progress.skipped}, refused ${progress.failed}; ${progress.rows} link-hours`;

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--drop-unheard');
  if (unknown.length > 0) {
    console.error(`${COMMAND}: unknown argument ${unknown.join(' ')}; the only one is --drop-unheard`);
    process.exitCode = 2;
    return;
  }
  const config = loadProcessConfig(COMMAND, dataServiceConfigSchema('migrate'), process.env) as
    DataServiceConfig | undefined;
  if (config === undefined) return;
  const namespace = config.STRATA_EVENT_NAMESPACE;
  const topic = topicFor('links', namespace);
  const where = `${config.STRATA_MYSQL_HOST}:${config.STRATA_MYSQL_PORT}`;

  let database: Database;
  try {
    database = await openDatabase(
      { ...databaseOf(ENGAGEMENT_SERVICE, config), migrateOnStart: false },
      engagementMapping,
    );
    await database.em().execute('select count(*) as n from link_visit_hours');
  } catch (error) {
    console.error(
      `${COMMAND}: cannot read link_visit_hours on MariaDB at ${where} ` +
        `(schema of ${config.STRATA_DATABASE_SERVICE ?? ENGAGEMENT_SERVICE}): ${reason(error)}. ` +
        'Is MariaDB up, and has engagement-service been migrated? Nothing was changed.',
    );
    process.exitCode = 1;
    return;
  }
  try {
    console.log(
      `Rebuilding link_visit_hours from ${topic} on ${config.STRATA_KAFKA_BROKERS.join(',')} ` +
        `into MariaDB at ${where}…`,
    );
    const outcome = await rebuildLinkVisitStats({
      database,
      brokers: config.STRATA_KAFKA_BROKERS,
      ...(namespace === undefined ? {} : { namespace }),
      dropUnheard: args.includes('--drop-unheard'),
      onProgress: (progress) => console.log(`  ${describe(progress)}`),
    });
    console.log(
      `Rebuilt: ${describe(outcome)}; ${outcome.changed.length} corrected, ${outcome.added.length} added, ` +
        `${outcome.dropped.length} dropped.`,
    );
    for (const id of outcome.changed) console.log(`  corrected: ${id}`);
    for (const failure of outcome.failures) {
      console.error(`  refused: partition ${failure.partition} offset ${failure.offset}: ${failure.reason}`);
    }
    if (outcome.failed > 0) process.exitCode = 1;
  } catch (error) {
    if (error instanceof VisitStatsRebuildRefused) {
      console.error(`${COMMAND} refused: ${error.message}`);
    } else if (error instanceof Error && error.name.startsWith('KafkaJS')) {
      const missing = reason(error).includes('does not host this topic-partition');
      console.error(
        `${COMMAND}: cannot read ${topic} from Kafka at ${config.STRATA_KAFKA_BROKERS.join(',')}: ` +
          (missing
            ? "the topic does not exist (is STRATA_EVENT_NAMESPACE the deployment's?)"
            : reason(error)) +
          '. Nothing was changed.',
      );
    } else {
      console.error(`${COMMAND} failed, nothing was changed:`, error);
    }
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(`${COMMAND} failed:`, error);
  process.exit(1);
});
