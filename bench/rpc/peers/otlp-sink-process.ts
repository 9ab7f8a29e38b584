import { startOtlpSink } from './otlp-sink.ts';

// `node bench/rpc/peers/otlp-sink-process.ts`: the discarding OTLP sink in a process of its own;
// prints `ready <port>` and runs until it is killed.
const sink = await startOtlpSink();
process.once('SIGTERM', () => {
  sink.close();
  process.exit(0);
});
// Kept alive by this interval: the sink's server is unref'd.
setInterval(() => undefined, 60_000);
console.log(`ready ${new URL(sink.url).port}`);
