import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  startConsumer,
  type ConsumerMark,
  type ConsumerSpec,
  type RunningConsumer,
} from './bench-consumer.ts';

/**
 * Where every row's consumer runs: `process` (the default) forks one process per row, as a
 * consuming service runs apart from the producing one; `same` runs it in the bench's process, as
 * the bench did before (every step then shares one Node thread). Plain-client and Strata rows get
 * the same treatment.
 */
export const consumerPlacement = process.env.BENCH_CONSUMER === 'same' ? 'same' : 'process';

const entry = fileURLToPath(new URL('./consumer-process.ts', import.meta.url));

/** A row's consumer and the process it runs in: undefined when that is the bench's own. */
export interface HostedConsumer extends RunningConsumer {
  readonly pid: number | undefined;
}

/** Starts the row's consumer where `consumerPlacement` says; resolves once it has joined its group. */
export async function hostConsumer(
  spec: ConsumerSpec,
  onMark: (mark: ConsumerMark) => void,
): Promise<HostedConsumer> {
  if (consumerPlacement === 'same') return { ...(await startConsumer(spec, onMark)), pid: undefined };
  const child = fork(entry, [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let stopped!: () => void;
  const stoppedMessage = new Promise<void>((resolve) => (stopped = resolve));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { type: string; marks?: ConsumerMark[] }) => {
      if (message.type === 'marks') for (const mark of message.marks ?? []) onMark(mark);
      else if (message.type === 'ready') resolve();
      else if (message.type === 'stopped') stopped();
    });
    void exited.then((code) => reject(new Error(`consumer process exited (${code}) before it was ready`)));
  });
  return {
    pid: child.pid,
    stop: async () => {
      child.send({ type: 'stop' });
      await Promise.race([stoppedMessage, exited]);
      await exited;
    },
  };
}
