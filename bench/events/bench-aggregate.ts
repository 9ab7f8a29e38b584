import { Migration } from '@mikro-orm/migrations';
import type { EventCatalog } from '@strata/events';
import { aggregateSchema } from '@strata/persistence';
import { AggregateRoot, newId, z } from '@strata/shared-kernel';

/** The smallest aggregate that produces one event per command, so the bench measures the pipeline. */
export class Tick extends AggregateRoot {
  note!: string;

  get aggregateType(): string {
    return 'Tick';
  }

  static emit(note: string): Tick {
    const tick = new Tick();
    Object.assign(tick, { id: newId<'Tick'>(), note });
    tick.record('TickEmitted', { note }, new Date());
    return tick;
  }
}

export const tickSchema = aggregateSchema<Tick>({
  class: Tick,
  tableName: 'tick',
  properties: { id: { type: 'string', primary: true, length: 36 }, note: { type: 'string', length: 4000 } },
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
