import { Inject } from '@nestjs/common';
import type { CallOptions } from '@strata/rpc';
import { callOptionsFor, type StudioRequest } from './studio-command.ts';
import { CATALOG_CLIENT, type CatalogClient } from './injection-tokens.ts';

/** The catalog's course methods, as a handler calls them. */
export type CourseCalls = CatalogClient['Course'];

/**
 * A studio handler is one catalog call made for the verified caller; a subclass says which call.
 * The client stays in this class's `#` field and is handed to `call`, so no subclass holds state.
 */
export abstract class CatalogCallHandler<TRequest extends StudioRequest, TResult> {
  readonly #catalog: CatalogClient;

  constructor(@Inject(CATALOG_CLIENT) catalog: CatalogClient) {
    this.#catalog = catalog;
  }

  execute(request: TRequest): Promise<TResult> {
    return this.call(this.#catalog.Course, request, callOptionsFor(request));
  }

  protected abstract call(course: CourseCalls, request: TRequest, options: CallOptions): Promise<TResult>;
}
