// The consumer of one bench row in a process of its own (BENCH_CONSUMER=process, the default), as a
// consuming service runs beside the producing one: spec in argv[2]; reports marks to the parent
// over IPC in batches, `ready` once joined, `stopped` after a `stop` message.
import { startConsumer, type ConsumerMark, type ConsumerSpec } from './bench-consumer.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as ConsumerSpec;
let pending: ConsumerMark[] = [];
let flushing: NodeJS.Timeout | undefined;
const flush = (): void => {
  flushing = undefined;
  if (pending.length === 0) return;
  process.send?.({ type: 'marks', marks: pending });
  pending = [];
};
const consumer = await startConsumer(spec, (mark) => {
  pending.push(mark);
  // The instants are taken when handled, so sending them up to 5 ms later changes no latency; one
  // IPC write per 5 ms instead of per message keeps a per-message consumer (plain kafkajs's
  // eachMessage) from paying a pipe write for every message when a batching one would not.
  flushing ??= setTimeout(flush, 5);
});
process.send?.({ type: 'ready' });
let stopping = false;
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop' || stopping) return;
  stopping = true;
  void consumer.stop().then(() => {
    flush();
    process.send?.({ type: 'stopped' }, () => process.exit(0));
  });
});
// A bench killed mid-run (a timeout, ^C) closes the channel without a `stop`: leave the group and
// end, rather than polling Kafka beside every later run as an orphan.
process.once('disconnect', () => {
  if (stopping) return;
  stopping = true;
  void consumer.stop().finally(() => process.exit(0));
});
