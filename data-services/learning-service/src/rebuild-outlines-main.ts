import { topicFor } from '@strata/events';
import { openDatabase, type Database } from '@strata/persistence';
import { loadProcessConfig } from '@strata/runtime';
import { databaseOf, dataServiceConfigSchema, type DataServiceConfig } from '@strata/runtime/data-service';
import { LEARNING_SERVICE, learningMapping } from './create-learning-service.ts';
import {
  OutlineRebuildRefused,
  rebuildLearningOutlines,
  type OutlineRebuildProgress,
} from './learning/rebuild-outlines.ts';

// `npm run learning:rebuild-outlines [-- --drop-unheard]`: rebuilds learning-service's
// `learning_outlines` by replaying the catalog's topic from its start, while learning-service keeps
// running (rebuild-outlines.ts says how that stays safe). Reads the same variables as
// learning-service's main.ts (STRATA_MYSQL_*, STRATA_DATABASE_SERVICE, STRATA_KAFKA_BROKERS,
// STRATA_EVENT_NAMESPACE); docs/runbooks/rebuild-learning-outlines.md says when and how to run it.
// Exit code 0: rebuilt, every event read; 1: some events refused (rebuilt without them, listed), or
// nothing changed because MariaDB or Kafka was unreachable or the rebuild refused; 2: a bad
// environment or argument.

const COMMAND = 'learning:rebuild-outlines';

const describe = (progress: OutlineRebuildProgress): string =>
  `read ${progress.read} events: outline events ${progress.applied}, not outline events ${progress.skipped}, ` +
  `refused ${progress.failed}; ${progress.courses} courses`;

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
  const topic = topicFor('catalog', namespace);
  const where = `${config.STRATA_MYSQL_HOST}:${config.STRATA_MYSQL_PORT}`;

  let database: Database;
  try {
    database = await openDatabase(
      { ...databaseOf(LEARNING_SERVICE, config), migrateOnStart: false },
      learningMapping,
    );
    await database.em().execute('select count(*) as n from learning_outlines');
  } catch (error) {
    console.error(
      `${COMMAND}: cannot read learning_outlines on MariaDB at ${where} ` +
        `(schema of ${config.STRATA_DATABASE_SERVICE ?? LEARNING_SERVICE}): ${reason(error)}. ` +
        'Is MariaDB up, and has learning-service been migrated? Nothing was changed.',
    );
    process.exitCode = 1;
    return;
  }
  try {
    console.log(
      `Rebuilding learning_outlines from ${topic} on ${config.STRATA_KAFKA_BROKERS.join(',')} ` +
        `into MariaDB at ${where}…`,
    );
    const outcome = await rebuildLearningOutlines({
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
    for (const courseId of outcome.changed) console.log(`  corrected: ${courseId}`);
    for (const failure of outcome.failures) {
      console.error(`  refused: partition ${failure.partition} offset ${failure.offset}: ${failure.reason}`);
    }
    if (outcome.failed > 0) process.exitCode = 1;
  } catch (error) {
    if (error instanceof OutlineRebuildRefused) {
      console.error(`${COMMAND} refused: ${error.message}`);
    } else if (isKafkaError(error)) {
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

/** kafkajs names its errors KafkaJS…; anything else comes from the database or from us. */
function isKafkaError(error: unknown): boolean {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}

main().catch((error: unknown) => {
  console.error(`${COMMAND} failed:`, error);
  process.exit(1);
});
