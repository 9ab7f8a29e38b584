import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** What `deleteValue` leaves in the chain, so a deleted key reads as absent. */
const DELETED = Symbol('deleted');

/**
 * An OpenTelemetry `Context` as a chain of one key and value per link: `setValue` allocates one
 * small object and copies nothing. The API's own `ROOT_CONTEXT` (a `BaseContext`) copies its Map
 * and makes three closures per `setValue`; made per RPC call and made active around the handler,
 * those contexts made the served process's heap grow to 150+ MB between full collections and put
 * its garbage collector at ~15% of busy time (+25–50 µs of CPU per call on the bench's server,
 * even with nothing sampled: ADR 0040). Built from `LEAN_ROOT_CONTEXT`, every context derived from
 * it (the incoming span, the server span, children the SDK makes) is lean too.
 */
class LeanContext implements Context {
  readonly #parent: LeanContext | undefined;
  readonly #key: symbol | undefined;
  readonly #value: unknown;

  constructor(parent: LeanContext | undefined, key: symbol | undefined, value: unknown) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
  }

  getValue(key: symbol): unknown {
    if (this.#key === key) return this.#value === DELETED ? undefined : this.#value;
    return this.#parent?.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new LeanContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new LeanContext(this, key, DELETED);
  }
}

/** An empty context, like `ROOT_CONTEXT`, whose descendants are all LeanContexts. */
export const LEAN_ROOT_CONTEXT: Context = new LeanContext(undefined, undefined, undefined);

/** `context` itself, unless it is the API's empty root, which becomes the lean one. */
export function leanIfRoot(context: Context): Context {
  return context === ROOT_CONTEXT ? LEAN_ROOT_CONTEXT : context;
}
