import { AggregateRoot, newId, z } from '@strata/shared-kernel';
import { Migration } from '@mikro-orm/migrations';
import { topicFor, type EventCatalog } from '@strata/events';
import {
  aggregateMapping,
  MikroOrmUnitOfWork,
  recordSchema,
  type Database,
  type MikroOrmUnitOfWorkOptions,
} from '@strata/persistence';
import { uniqueService } from './scratch-database.ts';

interface AccountSnapshot {
  readonly id: string;
  readonly version: number;
  readonly owner: string;
  readonly balance: number;
}

/** A pure domain class: no decorators, no ORM import, its state in `#` fields (ADR 0008). */
export class Account extends AggregateRoot {
  readonly #owner: string;
  #balance: number;

  private constructor(snapshot: AccountSnapshot) {
    super(snapshot.version);
    (this as { id: string }).id = snapshot.id;
    this.#owner = snapshot.owner;
    this.#balance = snapshot.balance;
  }

  static restore(snapshot: AccountSnapshot): Account {
    return new Account(snapshot);
  }

  toSnapshot(): AccountSnapshot {
    return { id: this.id, version: this.version, owner: this.#owner, balance: this.#balance };
  }

  get aggregateType(): string {
    return 'Account';
  }

  get owner(): string {
    return this.#owner;
  }

  get balance(): number {
    return this.#balance;
  }

  static open(owner: string, at: Date): Account {
    const account = new Account({ id: newId<'Account'>(), version: 0, owner, balance: 0 });
    account.record('AccountOpened', { owner }, at);
    return account;
  }

  /** Not idempotent: doing it twice deposits twice. */
  deposit(amount: number, at: Date): number {
    this.#balance += amount;
    this.record('FundsDeposited', { amount, balance: this.#balance }, at);
    return this.#balance;
  }

  /** Records an event whose payload breaks its contract, to prove the outbox refuses it. */
  depositBroken(at: Date): void {
    this.#balance += 1;
    this.record('FundsDeposited', { amount: 'one' }, at);
  }
}

type AccountRecord = AccountSnapshot & { id: string; version: number };

export const accountSchema = recordSchema<AccountRecord>({
  name: 'AccountRecord',
  tableName: 'account',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    owner: { type: 'string', length: 100 },
    balance: { type: 'integer' },
  },
});

/** What the unit of work is told for 'Account'. */
export const accountStorage = aggregateMapping({
  schema: accountSchema,
  toAggregate: (record: AccountRecord) => Account.restore(record),
  toRecord: (account: Account) => ({ ...account.toSnapshot() }),
});

export class CreateAccountTable extends Migration {
  override name = 'test-0001-account';
  override up(): void {
    this.addSql(
      'create table account (id char(36) not null primary key, owner varchar(100) not null, balance int not null, version int not null default 0) engine=InnoDB',
    );
  }
}

const payloads: Record<string, z.ZodType> = {
  AccountOpened: z.object({ owner: z.string() }),
  FundsDeposited: z.object({ amount: z.number().int().positive(), balance: z.number().int() }),
};

/** The account events as a contract would declare them, published by `context` (one topic per test). */
export function accountEventsIn(context: string): EventCatalog {
  return {
    describe: (type) => (type in payloads ? { context, version: 1 } : undefined),
    schema: (type, version) => (version === 1 ? payloads[type] : undefined),
  };
}

export const accountEvents = accountEventsIn('banking');

/** The unit of work the persistence tests store accounts through. */
export function accountUnitOfWork(
  database: Database,
  options: Partial<Omit<MikroOrmUnitOfWorkOptions, 'database' | 'aggregates'>> = {},
): MikroOrmUnitOfWork {
  return new MikroOrmUnitOfWork({
    database,
    aggregates: { Account: accountStorage },
    events: accountEvents,
    idempotencyWindowMs: 60_000,
    ...options,
  });
}

/**
 * The names one Kafka test runs under, unique per run: the accounts' and the ledger's schemas, a
 * context of its own and hence its own topic and event catalog.
 */
export function accountScenario(name: string) {
  const context = `${name}${Date.now()}`;
  return {
    service: uniqueService(name),
    ledgerService: uniqueService('ledger'),
    context,
    topic: topicFor(context),
    events: accountEventsIn(context),
  };
}
