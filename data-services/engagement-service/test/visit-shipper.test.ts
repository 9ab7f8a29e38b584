import { describe, expect, it } from '@jest/globals';
import type { BrokerMessage, EventBroker } from '@strata/events';
import { newId } from '@strata/shared-kernel';
import { queuedLinkNameOf, queuedLinkVisitsOf, visitJsonOf } from '../src/links/redirect/queued-visit.ts';
import type { QueuedVisits, VisitQueue } from '../src/links/redirect/visit-ledger.ts';
import { VisitShipper } from '../src/links/redirect/visit-shipper.ts';

// The shipper writes its messages' values into one region it reuses from round to round: a value
// a producer may still read (its publish failed, and a discarded producer may still be sending it)
// must never be written over, and nothing may be acknowledged in the queue before the broker did.

const entryOf = (slug: string, visits: number): QueuedVisits => ({
  handle: newId(),
  batches: [
    queuedLinkVisitsOf(
      `${queuedLinkNameOf(newId(), 1, slug, new Date().toISOString())}\t${visits}`,
      Buffer.from(
        Array.from({ length: visits }, () =>
          visitJsonOf({
            visitId: newId(),
            visitedAt: new Date().toISOString(),
            referrerHost: null,
            userAgentFamily: 'chrome',
            bot: false,
            visitorHash: 'ab'.repeat(32),
          }),
        ).join(','),
      ),
    ),
  ],
});

/** Hands out each round once; a released round is handed out again before the next. */
class RoundsQueue implements VisitQueue {
  readonly acknowledged: string[] = [];
  readonly #rounds: QueuedVisits[][];
  #taken: QueuedVisits[] | undefined;
  #released = false;

  constructor(rounds: QueuedVisits[][]) {
    this.#rounds = rounds;
  }

  async take(): Promise<QueuedVisits[]> {
    if (this.#released && this.#taken !== undefined) {
      this.#released = false;
      return this.#taken;
    }
    this.#taken = this.#rounds.shift();
    if (this.#taken === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    return this.#taken ?? [];
  }

  async acknowledge(handles: readonly string[]): Promise<void> {
    this.acknowledged.push(...handles);
  }

  release(): void {
    this.#released = true;
  }
}

describe('VisitShipper', () => {
  it('never writes a round over the values of a publish that failed, and acknowledges only what the broker did', async () => {
    const first = [entryOf('first-round', 40)];
    const second = [entryOf('second-round', 40)];
    const queue = new RoundsQueue([first, second]);
    const published: { value: Buffer; asPublished: string; failed: boolean }[] = [];
    let failures = 1;
    const broker: EventBroker = {
      system: 'test',
      async publish(messages: readonly BrokerMessage[]) {
        const failed = failures > 0;
        failures -= 1;
        for (const { value } of messages) published.push({ value, asPublished: value.toString(), failed });
        if (failed) throw new Error('the broker refused the publish');
      },
      async close() {},
    };
    const shipper = new VisitShipper({ queue, broker, topic: 'visits', logger: { warn: () => undefined } });
    shipper.start();
    while (shipper.shipped < 80) await new Promise((resolve) => setTimeout(resolve, 10));
    await shipper.stop();

    const [refused, resent, next] = published;
    expect(published.map(({ failed }) => failed)).toEqual([true, false, false]);
    expect(refused!.asPublished).toContain('"slug":"first-round"');
    expect(resent!.asPublished).toContain('"slug":"first-round"');
    expect(next!.asPublished).toContain('"slug":"second-round"');
    // The refused value still reads as it was published, although two rounds were written since;
    // an acknowledged round's region is written over by the next (what the region is for).
    expect(refused!.value.toString()).toBe(refused!.asPublished);
    expect(next!.value.buffer).toBe(resent!.value.buffer);
    expect(next!.value.byteOffset).toBe(resent!.value.byteOffset);
    expect(queue.acknowledged).toEqual([...first, ...second].map(({ handle }) => handle));
  });
});
