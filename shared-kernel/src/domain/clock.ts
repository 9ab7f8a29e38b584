/** Time as a port: the domain asks a clock, so tests pin time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class FixedClock implements Clock {
  #current: Date;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.#current = new Date(start);
  }

  now(): Date {
    return new Date(this.#current);
  }

  advance(milliseconds: number): void {
    this.#current = new Date(this.#current.getTime() + milliseconds);
  }

  set(to: Date | string): void {
    this.#current = new Date(to);
  }
}
