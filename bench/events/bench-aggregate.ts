import { Migration } from '@mikro-orm/migrations';
import type { EventCatalog } from '@strata/events';
import { aggregateMapping, recordSchema } from '@strata/persistence';
import { AggregateRoot, newId, z } from '@strata/shared-kernel';

interface TickRecord {
  id: string;
  version: number;
  note: string;
}

/** The smallest aggregate that produces one event per command, so the bench measures the pipeline. */
export class Tick extends AggregateRoot {
  readonly #note: string;

  private constructor(record: TickRecord) {
    super(record.version);
    (this as { id: string }).id = record.id;
    this.#note = record.note;
  }

  get aggregateType(): string {
    return 'Tick';
  }

  static emit(note: string): Tick {
    const tick = new Tick({ id: newId<'Tick'>(), version: 0, note });
    tick.record('TickEmitted', { note }, new Date());
    return tick;
  }

  static restore(record: TickRecord): Tick {
    return new Tick(record);
  }

  toRecord(): TickRecord {
    return { id: this.id, version: this.version, note: this.#note };
  }
}

export const tickSchema = recordSchema<TickRecord>({
  name: 'TickRecord',
  tableName: 'tick',
  properties: { id: { type: 'string', primary: true, length: 36 }, note: { type: 'string', length: 4000 } },
});

export const tickStorage = aggregateMapping({
  schema: tickSchema,
  toAggregate: (record: TickRecord) => Tick.restore(record),
  toRecord: (tick: Tick) => tick.toRecord(),
});

export class CreateTickTable extends Migration {
  override name = 'bench-0001-tick';
  override up(): void {
    this.addSql(
      'create table tick (id char(36) not null primary key, note varchar(4000) not null, version int not null default 0) engine=InnoDB',
    );
  }
}

export function tickEvents(context: string): EventCatalog {
  const payload = z.object({ note: z.string() });
  return {
    describe: (type) => (type === 'TickEmitted' ? { context, version: 1 } : undefined),
    schema: (type, version) => (type === 'TickEmitted' && version === 1 ? payload : undefined),
  };
}
