import type { ConnectionState } from './rpc-connection.ts';

/** The listeners of one connection's state changes; a throwing listener cannot break the transport. */
export class StateListeners {
  readonly #listeners = new Set<(state: ConnectionState) => void>();

  add(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(state: ConnectionState): void {
    for (const listener of this.#listeners) {
      try {
        listener(state);
      } catch (error) {
        process.emitWarning(`a connection state listener threw on '${state}': ${String(error)}`, 'StrataRpc');
      }
    }
  }
}
