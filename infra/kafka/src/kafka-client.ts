import { createRequire } from 'node:module';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { registerZstdCodec } from './zstd-codec.ts';

/**
 * A kafkajs client, made after kafkajs's idle polling is stopped in this process (ADR 0056).
 * kafkajs's own logger is off unless `config.logLevel` says otherwise: it writes lines of its own
 * format beside the process's log and calls every retried connection an error, while what a
 * failure means reaches Strata's callers anyway (a rejected send, a consumer's `onError`).
 */
export function kafkaClient(config: KafkaConfig): Kafka {
  stopIdlePolling();
  registerZstdCodec();
  return new Kafka({ logLevel: logLevel.NOTHING, ...config });
}

/** The part of kafkajs's RequestQueue (one per broker connection) that the fix reads. */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(this: RequestQueue): void;
}

let stopped = false;

/**
 * kafkajs 2.2.4, its last release, checks every broker connection's queue of waiting requests
 * once a millisecond for as long as the connection lives, even when nothing waits:
 * `scheduleCheckPendingRequests` delays the next check by `throttledUntil - Date.now()`, which is
 * negative when the broker has not throttled the client, so Node runs it after 1 ms, and the check
 * schedules the next (tulios/kafkajs#1704; the `TimeoutNegativeWarning` Node 24 prints, #1751).
 * An idle producer with one connection spent 18 ms of CPU a second on it. A check is needed only
 * when a request waits or a throttle is to end: `push` schedules one when it queues a request and
 * a fulfilled request checks the queue itself. So when neither holds, no check is scheduled.
 */
function stopIdlePolling(): void {
  if (stopped) return;
  stopped = true;
  const require = createRequire(import.meta.url);
  const { prototype } = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  const schedule = prototype.scheduleCheckPendingRequests;
  if (typeof schedule !== 'function')
    throw new Error(
      'kafkajs has no RequestQueue.scheduleCheckPendingRequests: see ADR 0056 before upgrading it',
    );
  prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
}
