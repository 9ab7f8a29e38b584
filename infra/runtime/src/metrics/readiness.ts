import { Gauge, type Registry } from 'prom-client';

/** A dependency the process cannot do its work without (its database); `check` rejects when it is down. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
  /**
   * False for a dependency whose loss is reported but does not take the instance out of service:
   * Kafka for a data service, whose outbox keeps the events until the broker is back.
   */
  readonly critical?: boolean;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly status: 'ready' | 'unready' | 'stopping' | 'starting';
  /** Each check's last answer: 'ok' or why it failed. */
  readonly checks: Readonly<Record<string, string>>;
}

export interface ReadinessOptions {
  readonly checks: readonly ReadinessCheck[];
  /** How often the checks run; every transition is reported to `onChange` once. */
  readonly intervalMs?: number;
  /** A check that has not answered by then failed (a database behind a dropped link never answers). */
  readonly timeoutMs?: number;
  /** Called on every change between ready and unready, in order, never concurrently. */
  readonly onChange?: (ready: boolean, report: ReadinessReport) => Promise<void> | void;
  /** Where `strata_readiness_check{check, critical}` (1 passing, 0 failing) is exposed. */
  readonly metrics?: Registry;
}

/**
 * Whether the process should be given work: its checks, run on a timer rather than per probe so a
 * burst of probes never becomes a burst of database pings, and so a registration can follow the
 * state (a data service leaves etcd while its database is unreachable, and comes back after).
 * Liveness is a different question — is the process running at all — and never runs these checks:
 * restarting a process because its database is down helps nobody.
 */
export class Readiness {
  readonly #options: Required<Omit<ReadinessOptions, 'onChange' | 'metrics'>> &
    Pick<ReadinessOptions, 'onChange'>;
  #report: ReadinessReport = { ready: false, status: 'starting', checks: {} };
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;
  #changes: Promise<void> = Promise.resolve();
  #running: Promise<void> | undefined;

  constructor(options: ReadinessOptions) {
    this.#options = { intervalMs: 1_000, timeoutMs: 2_000, ...options };
    if (options.metrics !== undefined) this.#meter(options.metrics);
  }

  get report(): ReadinessReport {
    return this.#report;
  }

  /** Runs the checks once (the first report), then on every interval. */
  async start(): Promise<void> {
    await this.evaluate();
    this.#timer = setInterval(() => void this.evaluate(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Unready for good, from the moment shutdown begins: callers stop choosing the instance. */
  markStopping(): void {
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#report = { ready: false, status: 'stopping', checks: this.#report.checks };
  }

  /** Runs every check now; answers when `onChange` has heard of a transition it caused. */
  async evaluate(): Promise<void> {
    this.#running ??= this.#evaluate().finally(() => (this.#running = undefined));
    await this.#running;
    await this.#changes;
  }

  #meter(registry: Registry): void {
    const checks = this.#options.checks;
    const answers = () => this.#report.checks;
    new Gauge({
      name: 'strata_readiness_check',
      help: "The process's readiness checks as last run: 1 passing, 0 failing; critical ones take it out of service",
      labelNames: ['check', 'critical'],
      registers: [registry],
      collect() {
        for (const check of checks) {
          const answer = answers()[check.name];
          if (answer === undefined) continue;
          this.set(
            { check: check.name, critical: String(check.critical !== false) },
            answer === 'ok' ? 1 : 0,
          );
        }
      },
    });
  }

  async #evaluate(): Promise<void> {
    const { checks, timeoutMs } = this.#options;
    const results = await Promise.allSettled(checks.map((check) => withTimeout(check.check(), timeoutMs)));
    if (this.#stopping) return;
    const answers: Record<string, string> = {};
    let ready = true;
    results.forEach((result, index) => {
      const check = checks[index]!;
      answers[check.name] = result.status === 'fulfilled' ? 'ok' : reasonOf(result.reason);
      if (result.status === 'rejected' && check.critical !== false) ready = false;
    });
    const changed = ready !== this.#report.ready;
    this.#report = { ready, status: ready ? 'ready' : 'unready', checks: answers };
    if (changed && this.#options.onChange !== undefined) {
      const report = this.#report;
      const onChange = this.#options.onChange;
      this.#changes = this.#changes.then(() => onChange(ready, report)).catch(() => undefined);
    }
  }
}

function reasonOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
