import { Command } from '@nestjs/cqrs';
import type { CallerIdentity, CallOptions } from '@strata/rpc';
import { ACCOUNT_API_SERVICE } from './injection-tokens.ts';

/**
 * An account command answered by calling identity-service within one HTTP request: the validated
 * request body and the request id. Each command is a subclass of its own, in a file of its own:
 * the command bus finds a handler by the command's class.
 */
export abstract class IdentityCommand<TInput, TResult> extends Command<TResult> {
  readonly input: TInput;
  /** The request id, sent as the calls' correlation id so one request can be followed across services. */
  readonly correlationId: string;

  constructor(input: TInput, correlationId: string) {
    super();
    this.input = input;
    this.correlationId = correlationId;
  }
}

/** A call to identity-service as account-api itself, or for the user it acts for, within one request. */
export function identityCall(
  correlationId: string,
  onBehalfOf: Omit<CallerIdentity, 'service'> = {},
): CallOptions {
  return { caller: { service: ACCOUNT_API_SERVICE, ...onBehalfOf }, correlationId };
}
