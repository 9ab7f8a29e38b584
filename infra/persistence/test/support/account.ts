import { AggregateRoot, newId, z } from '@strata/shared-kernel';
import { Migration } from '@mikro-orm/migrations';
import type { EventCatalog } from '@strata/events';
import { aggregateSchema } from '@strata/persistence';

/** A pure domain class: no decorators, no ORM import; its constructor is never run on rehydration. */
export class Account extends AggregateRoot {
  owner!: string;
  balance!: number;
  static constructed = 0;

  constructor() {
    super();
    Account.constructed += 1;
  }

  get aggregateType(): string {
    return 'Account';
  }

  static open(owner: string, at: Date): Account {
    const account = new Account();
    Object.assign(account, { id: newId<'Account'>(), owner, balance: 0 });
    account.record('AccountOpened', { owner }, at);
    return account;
  }

  /** Not idempotent: doing it twice deposits twice. */
  deposit(amount: number, at: Date): number {
    this.balance += amount;
    this.record('FundsDeposited', { amount, balance: this.balance }, at);
    return this.balance;
  }

  /** Records an event whose payload breaks its contract, to prove the outbox refuses it. */
  depositBroken(at: Date): void {
    this.balance += 1;
    this.record('FundsDeposited', { amount: 'one' }, at);
  }
}

export const accountSchema = aggregateSchema<Account>({
  class: Account,
  tableName: 'account',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    owner: { type: 'string', length: 100 },
    balance: { type: 'integer' },
  },
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
