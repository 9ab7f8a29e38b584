import type { LedgerLink, QueuedVisits, VisitLedger, VisitQueue, VisitSettled } from './visit-ledger.ts';

/** Embedded mode: counts and queue in this process (it is the only one serving the short domain). */
export class MemoryVisitLedger implements VisitLedger, VisitQueue {
  readonly #counts = new Map<string, number>();
  readonly #queue: QueuedVisits[] = [];
  #taken = 0;
  #sequence = 0;
  #wake: (() => void) | undefined;

  record(link: LedgerLink, visit: string, settled: VisitSettled): void {
    const before = this.#counts.get(link.linkId) ?? 0;
    if (link.maxVisits !== null && before >= link.maxVisits) {
      settled(null, before);
      return;
    }
    this.#counts.set(link.linkId, before + 1);
    const batch = {
      linkId: link.linkId,
      linkVersion: link.version,
      slug: link.slug,
      keptAt: new Date().toISOString(),
      count: 1,
      visits: Buffer.from(visit),
    };
    this.#queue.push({ handle: String((this.#sequence += 1)), batches: [batch] });
    this.#wake?.();
    settled(null, before);
  }

  async take(count: number, waitMs: number): Promise<QueuedVisits[]> {
    if (this.#queue.length === this.#taken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    const batch = this.#queue.slice(this.#taken, this.#taken + count);
    this.#taken += batch.length;
    return batch;
  }

  async acknowledge(handles: readonly string[]): Promise<void> {
    const done = new Set(handles);
    let removed = 0;
    for (let index = this.#queue.length - 1; index >= 0; index -= 1) {
      if (done.has(this.#queue[index]!.handle)) {
        this.#queue.splice(index, 1);
        if (index < this.#taken) removed += 1;
      }
    }
    this.#taken -= removed;
  }

  release(): void {
    this.#taken = 0;
  }

  async close(): Promise<void> {
    this.#wake?.();
  }
}
