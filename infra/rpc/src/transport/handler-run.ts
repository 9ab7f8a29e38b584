import type { RpcHandler, RpcRequest, RpcResponse } from '../protocol.ts';
import {
  DeadlineExceededError,
  deadlineExceeded,
  deadlineExceededMessage,
  markDeadline,
  remainingMs,
  timerDelay,
} from '../deadline/index.ts';
import { failure } from './transport-error.ts';

/** One invocation of a handler under a deadline, as every transport runs it on the server side. */
export interface HandlerRun {
  /** The answer to send: the handler's, or DEADLINE_EXCEEDED as soon as the deadline passes. */
  readonly response: Promise<RpcResponse>;
  /** Settles when the handler itself returns, which may be after `response` when it ignores its signal. */
  readonly finished: Promise<void>;
  /** Aborts the handler's signal (the caller cancelled or went away) and, given an answer, settles `response` with it. */
  abort(reason: unknown, answer?: RpcResponse): void;
  /** The deadline passed: the handler's signal aborts and `response` is DEADLINE_EXCEEDED. */
  expire(): void;
}

/**
 * Runs the handler under its deadline. With `ownTimer` false the caller enforces the deadline
 * itself by calling `expire()` (the TCP server's one sweep timer per connection, as ADR 0027 does
 * for the client), so no timer is armed and cleared per call.
 */
export function runHandler(
  handler: RpcHandler,
  request: RpcRequest,
  deadline: number,
  ownTimer = true,
): HandlerRun {
  const remaining = remainingMs(deadline);
  if (remaining <= 0) {
    // Work nobody waits for any more is not started.
    return {
      response: Promise.resolve(deadlineExceeded(request.service, request.method)),
      finished: Promise.resolve(),
      abort() {},
      expire() {},
    };
  }
  const controller = new AbortController();
  markDeadline(controller.signal, deadline);
  let resolveResponse!: (response: RpcResponse) => void;
  const response = new Promise<RpcResponse>((resolve) => {
    resolveResponse = resolve;
  });

  const expire = (): void => {
    controller.abort(new DeadlineExceededError(deadlineExceededMessage(request.service, request.method)));
    resolveResponse(deadlineExceeded(request.service, request.method));
  };
  const timer = ownTimer ? setTimeout(expire, timerDelay(remaining)) : undefined;

  const answered = (answer: RpcResponse): void => {
    clearTimeout(timer);
    resolveResponse(answer);
  };
  const finished = invoke(handler, request, controller.signal).then(answered, (error: unknown) =>
    answered(handlerThrew(request, error)),
  );

  return {
    response,
    finished,
    abort(reason, answer) {
      clearTimeout(timer);
      controller.abort(reason);
      if (answer !== undefined) resolveResponse(answer);
    },
    expire,
  };
}

/** The handler's answer; not an async function, which would cost one more promise per call. */
function invoke(handler: RpcHandler, request: RpcRequest, signal: AbortSignal): Promise<RpcResponse> {
  try {
    return Promise.resolve(handler(request, signal));
  } catch (error) {
    return Promise.resolve(handlerThrew(request, error));
  }
}

/** The server runtime maps domain and validation errors itself; reaching here is a bug in it. */
function handlerThrew(request: RpcRequest, error: unknown): RpcResponse {
  const message = error instanceof Error ? error.message : String(error);
  return failure('INTERNAL', `handler for ${request.service} ${request.method} threw: ${message}`);
}
