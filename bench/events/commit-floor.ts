// BENCH_ROWS-independent probe: how many commands a second the producer side alone reaches (no relay,
// no consumer), beside the same transaction's statements sent raw through mysql2, 16 at a time, and
// the bench process's CPU time per commit (user + system).
import { createConnection, createPool } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { MikroOrmUnitOfWork, databaseNameFor, openDatabase } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { CreateTickTable, Tick, tickEvents, tickSchema, tickStorage } from './bench-aggregate.ts';

const events = Number(process.env.BENCH_EVENTS ?? 3_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const { mysql } = stackEndpoints();
const service = `bench_events_floor_${newId().replaceAll('-', '').slice(-10)}`;
const note = 'x'.repeat(200);

async function timed(label: string, task: () => Promise<void>): Promise<void> {
  let next = 0;
  // CPU per commit besides the rate: on two shared cores the rate moves with other people's load,
  // the bench process's own CPU time per commit much less.
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events) {
        next += 1;
        await task();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuPerCommit = (used.user + used.system) / events;
  console.log(
    `${label.padEnd(60)} ${(events / seconds).toFixed(0).padStart(6)} commits/s ${cpuPerCommit.toFixed(0).padStart(5)} µs CPU/commit`,
  );
}

const database = await openDatabase(
  { kind: 'mysql', service, ...mysql, poolSize: concurrency + 4, migrateOnStart: true },
  { entities: [tickSchema], migrations: [CreateTickTable] },
);
try {
  const uow = new MikroOrmUnitOfWork({
    database,
    aggregates: { Tick: tickStorage },
    events: tickEvents('floor'),
    idempotencyWindowMs: 60_000,
  });
  await timed('MikroOrmUnitOfWork command (tick + outbox row)', async () => {
    const tick = Tick.emit(note);
    await uow.run(async (scope) => scope.repository<Tick>('Tick').add(tick));
  });
  if (process.env.BENCH_FLOOR === 'uow') process.exit(0);
  const pool = createPool({ ...mysql, database: databaseNameFor(service), connectionLimit: concurrency });
  const envelope = JSON.stringify({ note, pad: 'y'.repeat(300) });
  await timed('raw mysql2: begin, insert tick, insert outbox, commit', async () => {
    const connection = await pool.getConnection();
    try {
      await connection.query('begin');
      const id = newId();
      await connection.execute('insert into tick (id, note, version) values (?, ?, 1)', [id, note]);
      await connection.execute(
        'insert into outbox (event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version, envelope, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
        [newId(), 't', 'TickEmitted', 'Tick', id, 1, envelope, Date.now()],
      );
      await connection.query('commit');
    } finally {
      connection.release();
    }
  });
  await timed('raw mysql2: one autocommit insert', async () => {
    await pool.execute('insert into tick (id, note, version) values (?, ?, 1)', [newId(), note]);
  });
  await pool.end();
} finally {
  await database.close();
  const connection = await createConnection({ ...mysql });
  await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
  await connection.end();
}
