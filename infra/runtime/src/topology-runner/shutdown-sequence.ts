/** One thing a process must close on the way out, named so a failure says which. */
interface Step {
  readonly name: string;
  readonly close: () => Promise<void>;
}

/**
 * What a process opened, closed in reverse order on stop: what was opened last (the gateway in
 * front) stops taking work before what it depends on (services, then databases) goes away. A step
 * that fails does not keep the rest open; stop() rejects afterwards naming every failed step.
 */
export class ShutdownSequence {
  readonly #steps: Step[] = [];
  #stopping: Promise<void> | undefined;

  /** Registers a step; call it right after the thing is opened, so a failed start closes what was. */
  add(name: string, close: () => Promise<void>): void {
    if (this.#stopping !== undefined)
      throw new Error(`cannot add "${name}": the process is already stopping`);
    this.#steps.push({ name, close });
  }

  /** Runs once however often it is called (two Ctrl-Cs, or a signal during a failed start). */
  stop(): Promise<void> {
    this.#stopping ??= this.#run();
    return this.#stopping;
  }

  async #run(): Promise<void> {
    const failures: Error[] = [];
    for (const step of [...this.#steps].reverse()) {
      try {
        await step.close();
      } catch (error) {
        failures.push(new Error(`closing ${step.name} failed: ${String(error)}`, { cause: error }));
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, failures.map((failure) => failure.message).join('; '));
    }
  }
}
