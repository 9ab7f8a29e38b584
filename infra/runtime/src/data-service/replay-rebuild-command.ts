import { openDatabase, type Database, type DatabaseMapping, type ReplayFailure } from '@strata/persistence';
import { loadProcessConfig } from '../env-config.ts';
import { dataServiceConfigSchema, type DataServiceConfig } from './data-service-config.ts';
import { databaseOf } from './serve-data-service.ts';

/** What every replay rebuild answers, whatever else its outcome says. */
export interface ReplayRebuildOutcome {
  /** Events the contract refused: the rebuild went on without them. */
  failed: number;
  /** Rows corrected, added and (with --drop-unheard) dropped, by key. */
  changed: string[];
  added: string[];
  dropped: string[];
  failures: ReplayFailure[];
}

/** One projection's rebuild command, as its `…-main.ts` describes it. */
export interface ReplayRebuildCommand<TProgress, TOutcome extends ReplayRebuildOutcome & TProgress> {
  /** The npm script's name, e.g. `links:rebuild-visit-stats`: it starts every line it prints. */
  readonly command: string;
  /** The data service whose schema holds the table (STRATA_DATABASE_SERVICE overrides it). */
  readonly service: string;
  readonly mapping: DatabaseMapping;
  /** The projection's table: read once first, so a missing schema refuses before any replay. */
  readonly table: string;
  /** The topics replayed, for the messages (the rebuild computes its own). */
  topicsOf(namespace: string | undefined): readonly string[];
  /** One line of counts, for progress and the end. */
  describe(progress: TProgress): string;
  /** A refusal the rebuild raises before it changed anything (its message says what to do). */
  isRefusal(error: unknown): boolean;
  rebuild(options: {
    database: Database;
    brokers: string[];
    namespace?: string;
    dropUnheard: boolean;
    onProgress: (progress: TProgress) => void;
  }): Promise<TOutcome>;
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** kafkajs names its errors KafkaJS…; anything else comes from the database or from us. */
const isKafkaError = (error: unknown): boolean => error instanceof Error && error.name.startsWith('KafkaJS');

/**
 * `npm run <command> [-- --drop-unheard]`: a projection rebuilt by replay (rebuildByReplay), as a
 * process. Reads the data service's own variables (STRATA_MYSQL_*, STRATA_DATABASE_SERVICE,
 * STRATA_KAFKA_BROKERS, STRATA_EVENT_NAMESPACE). Exit code 0: rebuilt, every event read; 1: some
 * events refused (rebuilt without them, listed), or nothing changed because MariaDB or Kafka was
 * unreachable or the rebuild refused; 2: a bad environment or argument.
 */
export async function runReplayRebuildCommand<TProgress, TOutcome extends ReplayRebuildOutcome & TProgress>(
  definition: ReplayRebuildCommand<TProgress, TOutcome>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  try {
    await rebuildCommand(definition, argv);
  } catch (error) {
    console.error(`${definition.command} failed:`, error);
    process.exit(1);
  }
}

async function rebuildCommand<TProgress, TOutcome extends ReplayRebuildOutcome & TProgress>(
  definition: ReplayRebuildCommand<TProgress, TOutcome>,
  argv: readonly string[],
): Promise<void> {
  const { command, table } = definition;
  const unknown = argv.filter((arg) => arg !== '--drop-unheard');
  if (unknown.length > 0) {
    console.error(`${command}: unknown argument ${unknown.join(' ')}; the only one is --drop-unheard`);
    process.exitCode = 2;
    return;
  }
  const config = loadProcessConfig(command, dataServiceConfigSchema('migrate'), process.env) as
    DataServiceConfig | undefined;
  if (config === undefined) return;
  const namespace = config.STRATA_EVENT_NAMESPACE;
  const replayed = definition.topicsOf(namespace);
  const topics = replayed.join(' and ');
  const brokers = config.STRATA_KAFKA_BROKERS.join(',');
  const where = `${config.STRATA_MYSQL_HOST}:${config.STRATA_MYSQL_PORT}`;

  let database: Database;
  let opened: Database | undefined;
  try {
    opened = await openDatabase(
      { ...databaseOf(definition.service, config), migrateOnStart: false },
      definition.mapping,
    );
    await opened.em().execute(`select count(*) as n from ${table}`);
    database = opened;
  } catch (error) {
    // An open pool would keep the process alive after it said why it stopped.
    await opened?.close().catch(() => undefined);
    console.error(
      `${command}: cannot read ${table} on MariaDB at ${where} ` +
        `(schema of ${config.STRATA_DATABASE_SERVICE ?? definition.service}): ${reason(error)}. ` +
        `Is MariaDB up, and has ${definition.service} been migrated? Nothing was changed.`,
    );
    process.exitCode = 1;
    return;
  }
  try {
    console.log(`Rebuilding ${table} from ${topics} on ${brokers} into MariaDB at ${where}…`);
    const outcome = await definition.rebuild({
      database,
      brokers: config.STRATA_KAFKA_BROKERS,
      ...(namespace === undefined ? {} : { namespace }),
      dropUnheard: argv.includes('--drop-unheard'),
      onProgress: (progress) => console.log(`  ${definition.describe(progress)}`),
    });
    console.log(
      `Rebuilt: ${definition.describe(outcome)}; ${outcome.changed.length} corrected, ${outcome.added.length} added, ` +
        `${outcome.dropped.length} dropped.`,
    );
    for (const key of outcome.changed) console.log(`  corrected: ${key}`);
    for (const failure of outcome.failures) {
      console.error(
        `  refused: ${failure.topic} partition ${failure.partition} offset ${failure.offset}: ${failure.reason}`,
      );
    }
    if (outcome.failed > 0) process.exitCode = 1;
  } catch (error) {
    if (definition.isRefusal(error)) {
      console.error(`${command} refused: ${reason(error)}`);
    } else if (isKafkaError(error)) {
      const missing = reason(error).includes('does not host this topic-partition');
      console.error(
        `${command}: cannot read ${topics} from Kafka at ${brokers}: ` +
          (missing
            ? `${replayed.length === 1 ? 'the topic does' : 'one of them does'} not exist (is STRATA_EVENT_NAMESPACE the deployment's?)`
            : reason(error)) +
          '. Nothing was changed.',
      );
    } else {
      console.error(`${command} failed, nothing was changed:`, error);
    }
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}
