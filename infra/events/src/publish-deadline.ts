/** A publish Kafka did not acknowledge in time: what it carried counts as unsent and is sent again. */
export class PublishTimeoutError extends Error {
  constructor(ms: number) {
    super(
      `Kafka did not acknowledge the publish within ${ms} ms; the producer is replaced and the messages stay unsent`,
    );
    this.name = 'PublishTimeoutError';
  }
}

/**
 * Settles as `sending` does, or rejects with PublishTimeoutError after `ms`: a client's send can
 * stay wedged after a request timeout and never settle, and a publish must not wait for it.
 */
export async function withinPublishDeadline<T>(sending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PublishTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([sending, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for discarded producers to close, at most `ms`: a wedged one may never finish. */
export async function closedWithin(closing: Iterable<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(closing), bound]);
  clearTimeout(timer);
}
