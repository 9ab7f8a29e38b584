/**
 * Heartbeats written in one turn of the event loop. A heartbeat is a socket write, ~10–15 µs each
 * on the bench machine (bench:push's floor row), so one synchronous pass over 10,000 connections
 * held every live notification back by 150–300 ms each time it ran (20 s apart by default). In
 * slices, what arrives meanwhile waits behind one slice at most (a few ms); a sweep of 50,000
 * connections takes 100 turns, far within its period.
 */
export const HEARTBEATS_PER_TURN = 500;

/** A sweep starting later than this many periods after the last one was held back by the loop. */
const LATE_SWEEP = 1.25;

export interface HeartbeatSweepOptions<TConnection> {
  readonly periodMs: number;
  /** Every connection, iterated live: one cut or closed between slices is skipped, one opened is reached. */
  readonly connections: () => Iterator<TConnection>;
  /** One connection's heartbeat; `judges` false: an unanswered previous heartbeat is not judged now. */
  readonly beat: (connection: TConnection, judges: boolean) => void;
  /** A sweep the loop held back started (it judges no one). */
  readonly onLate: () => void;
}

/** One interval for every connection's heartbeat, a slice of them a turn. */
export class HeartbeatSweep<TConnection> {
  readonly #options: HeartbeatSweepOptions<TConnection>;
  readonly #timer: NodeJS.Timeout;
  /** The rest of the current sweep, a slice a turn. */
  #sweeping: NodeJS.Immediate | undefined;
  /** When the last sweep started (or the sweep was set up), to tell a sweep the loop held back. */
  #lastStartedAt = performance.now();

  constructor(options: HeartbeatSweepOptions<TConnection>) {
    this.#options = options;
    this.#timer = setInterval(() => this.#sweep(), options.periodMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
    clearImmediate(this.#sweeping);
  }

  #sweep(): void {
    // A sweep that outlived its period (a blocked loop) is finished by its slices, not restarted.
    if (this.#sweeping !== undefined) return;
    // A sweep a stalled loop held back judges no one: it writes heartbeats, and the next sweep, on
    // time, judges one still unanswered. Its slices run after the sockets are read (below), but a
    // stall also held back the peers' answers to heartbeats written just before it, and a long one
    // would otherwise cut every peer at once, all of them reconnecting together.
    const startedAt = performance.now();
    const judges = startedAt - this.#lastStartedAt <= this.#options.periodMs * LATE_SWEEP;
    this.#lastStartedAt = startedAt;
    if (!judges) this.#options.onLate();
    const connections = this.#options.connections();
    const slice = () => {
      this.#sweeping = undefined;
      let left = HEARTBEATS_PER_TURN;
      for (let next = connections.next(); !next.done; next = connections.next()) {
        this.#options.beat(next.value, judges);
        if (--left === 0) {
          this.#sweeping = setImmediate(slice);
          return;
        }
      }
    };
    // The interval fires in the timers phase, before the poll phase reads the sockets; the first
    // slice waits for the check phase, like the rest, so answers that arrived while the loop was
    // busy are counted before any heartbeat is judged.
    this.#sweeping = setImmediate(slice);
  }
}
