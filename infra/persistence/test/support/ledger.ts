import { Migration } from '@mikro-orm/migrations';
import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  EventProcessor,
  type EventBroker,
  type EventCatalog,
  type EventEnvelope,
  type EventHandler,
  type EventProcessorOptions,
  type MessageProcessor,
} from '@strata/events';
import { openDatabase, SqlInbox, type Database } from '@strata/persistence';
import { mysqlConfig } from './databases.ts';

/** A downstream read model whose effect is deliberately not idempotent: each handling adds again. */
export class CreateLedgerTable extends Migration {
  override name = 'test-0001-ledger';
  override up(): void {
    this.addSql(
      'create table ledger (account_id char(36) not null primary key, total int not null, deposits int not null) engine=InnoDB',
    );
  }
}

export function openLedger(service: string): Promise<Database> {
  return openDatabase(mysqlConfig(service), { entities: [], migrations: [CreateLedgerTable] });
}

export const addDeposit: EventHandler<SqlEntityManager> = async (envelope: EventEnvelope, em) => {
  const { amount } = envelope.payload as { amount: number };
  await em.execute(
    'insert into ledger (account_id, total, deposits) values (?, ?, 1) on duplicate key update total = total + values(total), deposits = deposits + 1',
    [envelope.aggregateId, amount],
    'run',
  );
};

export async function ledgerOf(
  database: Database,
): Promise<Map<string, { total: number; deposits: number }>> {
  const rows = await database
    .em()
    .execute<{ account_id: string; total: number; deposits: number }[]>(
      'select account_id, total, deposits from ledger',
    );
  return new Map(
    rows.map((row) => [row.account_id, { total: Number(row.total), deposits: Number(row.deposits) }]),
  );
}

export async function totalDeposits(database: Database): Promise<number> {
  const [row] = await database.em().execute<{ n: number | null }[]>('select sum(deposits) as n from ledger');
  return Number(row?.n ?? 0);
}

/**
 * The ledger's event processor for one context's deposits; with `outcomes`, every outcome it
 * reaches is also pushed there, so a test can count handled, duplicate and dead-lettered messages.
 */
export function ledgerProcessor(options: {
  ledger: Database;
  context: string;
  events: EventCatalog;
  deadLetters: EventBroker;
  outcomes?: string[];
  retries?: Pick<
    EventProcessorOptions<SqlEntityManager>,
    'maxAttempts' | 'initialBackoffMs' | 'maxBackoffMs'
  >;
}): MessageProcessor {
  const processor = new EventProcessor({
    consumerGroup: `ledger-${options.context}`,
    handlers: { FundsDeposited: addDeposit },
    inbox: new SqlInbox(options.ledger),
    schema: options.events.schema,
    deadLetters: options.deadLetters,
    ...options.retries,
  });
  const outcomes = options.outcomes;
  if (!outcomes) return processor;
  return {
    consumerGroup: processor.consumerGroup,
    process: async (message) => {
      const outcome = await processor.process(message);
      outcomes.push(outcome);
      return outcome;
    },
  };
}
