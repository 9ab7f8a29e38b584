/**
 * How long a consumer's fetch waits at the broker when its partitions have nothing new, and how
 * long kafkajs sleeps between fetches when every partition is paused (its `maxWaitTimeInMs`).
 * kafkajs's default is 5 s, ten times Kafka's own consumer's `fetch.max.wait.ms` (500 ms), and a
 * consumer's disconnect waits for the fetch or the sleep in hand: an idle consumer took up to 5 s
 * to stop, a data service's consumers one after another on SIGTERM, and a replay up to 5 s after
 * its last message. A message that arrives is answered at once either way; a shorter wait costs an
 * idle consumer one empty fetch a half second instead of one every five (ADR 0071).
 */
export const FETCH_MAX_WAIT_MS = 500;
