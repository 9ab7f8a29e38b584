interface Flight {
  promise: Promise<unknown>;
  superseded: boolean;
}

/**
 * Concurrent callers of one key in this process share one promise, so a burst of misses costs one
 * load. Hand-written rather than a library: it is one Map, and it needs `supersede`, which the
 * libraries (p-memoize, lru-cache's fetchMethod) do not offer in a form that fences writes.
 */
export class SingleFlight {
  readonly #flights = new Map<string, Flight>();

  /** `work` gets a check that turns true once `supersede(key)` ran after the flight began. */
  run<T>(key: string, work: (isSuperseded: () => boolean) => Promise<T>): Promise<T> {
    const existing = this.#flights.get(key);
    if (existing) return existing.promise as Promise<T>;
    const flight: Flight = { promise: Promise.resolve(), superseded: false };
    const promise = (async () => {
      try {
        return await work(() => flight.superseded);
      } finally {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      }
    })();
    flight.promise = promise;
    this.#flights.set(key, flight);
    return promise;
  }

  /**
   * An invalidation happened: the flight under way may carry the old value, so it must not write
   * it, and later callers must not join it but start a fresh load.
   */
  supersede(key: string): void {
    const flight = this.#flights.get(key);
    if (!flight) return;
    flight.superseded = true;
    this.#flights.delete(key);
  }
}
