interface Flight {
  promise: Promise<unknown>;
  superseded: boolean;
}

/**
 * Concurrent callers of one key in this process share one promise, so a burst of misses costs one
 * load. Hand-written rather than a library: it is one table, and it needs `supersede`, which the
 * libraries (p-memoize, lru-cache's fetchMethod) do not offer in a form that fences writes.
 *
 * The table is a prototype-less object, not a `Map`: a long-lived `Map` with a key added and
 * deleted per miss falls into ADR 0084's costly GC state (its obsolete backing tables link to
 * their successors, so every scavenge keeps and promotes the flights and the values they load).
 * An object's dictionary is replaced without such links (a 20-line script, 64 concurrent misses
 * after one `gc()`: 321–350 ms of scavenges with a `Map` against 64–67 ms).
 */
export class SingleFlight {
  readonly #flights: Record<string, Flight | undefined> = Object.create(null);

  /** `work` gets a check that turns true once `supersede(key)` ran after the flight began. */
  run<T>(key: string, work: (isSuperseded: () => boolean) => Promise<T>): Promise<T> {
    const existing = this.#flights[key];
    if (existing) return existing.promise as Promise<T>;
    const flight: Flight = { promise: Promise.resolve(), superseded: false };
    const promise = (async () => {
      try {
        return await work(() => flight.superseded);
      } finally {
        if (this.#flights[key] === flight) delete this.#flights[key];
      }
    })();
    flight.promise = promise;
    this.#flights[key] = flight;
    return promise;
  }

  /**
   * An invalidation happened: the flight under way may carry the old value, so it must not write
   * it, and later callers must not join it but start a fresh load.
   */
  supersede(key: string): void {
    const flight = this.#flights[key];
    if (!flight) return;
    flight.superseded = true;
    delete this.#flights[key];
  }
}
