import { Worker } from 'node:worker_threads';
import type { RuntimeLogger } from '@strata/rpc';

/** What the link events thread needs: plain data, copied to the thread. */
export interface LinkEventsWorkerData {
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly kafkaBrokers: string[];
  readonly clientId: string;
  /** The links' events, read into cache invalidations. */
  readonly topic: string;
  /** Where the queued visits ship (ADR 0063): never read here. */
  readonly visitsTopic: string;
  /** Names this instance in the visit stream's consumer group. */
  readonly instanceId: string;
  /** The Kafka consumer group of every instance's cache invalidation. */
  readonly consumerGroup: string;
}

export type LinkEventsThreadMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'warn'; readonly message: string; readonly error?: string }
  | { readonly kind: 'stop' }
  | { readonly kind: 'stopped' };

export interface LinkEventsThread {
  /** Ships what is queued, leaves the consumer group, and ends the thread. */
  stop(): Promise<void>;
}

/** After a thread died, the next is started this late (a thread that cannot start retries slowly). */
const RESTART_MS = 1_000;
/** How long stop() lets the thread ship what is queued before ending it. */
const STOP_WAIT_MS = 15_000;
/**
 * The thread's young generation, MB (V8 makes a semi-space a third of it). Shipping's garbage is
 * mostly large buffers (the stream's replies, each message's value, the producer's record batch
 * and its zstd output) behind a few small objects: V8 counts their bytes as external memory, which
 * only a collection frees. With the default young generation the thread's little JavaScript seldom
 * fills it, so those bytes piled up to V8's external limit and each time asked for a full
 * mark-compact of the whole heap (bench README, "Issue 19, eleventh pass": 23–31 a run); in a
 * small one a scavenge comes every megabyte or so of objects and frees the buffers with them.
 */
const YOUNG_GENERATION_MB = 3;

/**
 * Starts link-events-worker.ts (cache invalidation from the link events, visit shipping) on a
 * thread of its own, answers once it reads the link events, and starts it again should it die:
 * meanwhile visits wait in the Redis stream and invalidations in Kafka, nothing is lost.
 */
export async function startLinkEventsThread(
  data: LinkEventsWorkerData,
  logger: Pick<RuntimeLogger, 'warn'>,
): Promise<LinkEventsThread> {
  let stopping = false;
  let current: Worker | undefined;

  const start = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./link-events-worker.ts', import.meta.url), {
        workerData: data,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      let ready = false;
      worker.on('message', (message: LinkEventsThreadMessage) => {
        if (message.kind === 'ready') {
          ready = true;
          resolve(worker);
        } else if (message.kind === 'warn') {
          logger.warn(message.error === undefined ? {} : { err: message.error }, message.message);
        }
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
        else logger.warn({ err: error }, 'the link events thread failed');
      });
      worker.on('exit', (code) => {
        if (current === worker) current = undefined;
        if (!ready) reject(new Error(`the link events thread exited with ${code} before it was ready`));
        else if (!stopping) {
          logger.warn({ code }, `the link events thread exited with ${code}; starting another`);
          setTimeout(() => void restart(), RESTART_MS);
        }
      });
    });

  const restart = async (): Promise<void> => {
    if (stopping) return;
    try {
      current = await start();
    } catch (error) {
      logger.warn({ err: error }, 'the link events thread did not start; trying again');
      setTimeout(() => void restart(), RESTART_MS);
    }
  };

  current = await start();
  return {
    async stop() {
      stopping = true;
      const worker = current;
      if (worker === undefined) return;
      const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ kind: 'stop' } satisfies LinkEventsThreadMessage);
      // Bounded: a thread that cannot finish (a broker gone) is ended; its visits stay queued.
      const timer = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
      await stopped;
      clearTimeout(timer);
    },
  };
}
