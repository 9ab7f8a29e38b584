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

/** Where one run's outcome goes; each is called once. */
export interface HandlerRunOutcome {
  /** The answer to send: the handler's, DEADLINE_EXCEEDED as soon as the deadline passes, or the one `abort` was given. */
  answered(response: RpcResponse): void;
  /** The handler itself returned, which may be after `answered` when it ignores its signal. */
  finished(): void;
}

/** One invocation of a handler under a deadline, as every transport runs it on the server side. */
export interface HandlerRun {
  /** Aborts the handler's signal (the caller cancelled or went away) and, given an answer, answers with it. */
  abort(reason: unknown, answer?: RpcResponse): void;
  /** The deadline passed: the handler's signal aborts and the answer is DEADLINE_EXCEEDED. */
  expire(): void;
}

/** A run whose answer is a promise, for callers that await it (the embedded transport). */
export interface AwaitedHandlerRun extends HandlerRun {
  readonly response: Promise<RpcResponse>;
}

const NOTHING_TO_STOP: HandlerRun = { abort() {}, expire() {} };

/**
 * Runs the handler under its deadline and tells `outcome`. Callbacks rather than promises: the TCP
 * server's profile showed an answer promise, a finished promise and a `then` on each as per-call
 * garbage and microtask hops (bench/README.md, "Sixth pass"). With `ownTimer` false the caller
 * enforces the deadline itself by calling `expire()` (the TCP server's one sweep timer per
 * connection, as ADR 0027 does for the client), so no timer is armed and cleared per call.
 *
 * `answered` is never called before this returns, so the caller can first record the run it gets.
 */
export function startHandler(
  handler: RpcHandler,
  request: RpcRequest,
  deadline: number,
  outcome: HandlerRunOutcome,
  ownTimer = true,
): HandlerRun {
  const remaining = remainingMs(deadline);
  if (remaining <= 0) {
    // Work nobody waits for any more is not started.
    queueMicrotask(() => {
      outcome.answered(deadlineExceeded(request.service, request.method));
      outcome.finished();
    });
    return NOTHING_TO_STOP;
  }
  const controller = new AbortController();
  markDeadline(controller.signal, deadline);
  let unanswered = true;
  const answer = (response: RpcResponse): void => {
    if (!unanswered) return;
    unanswered = false;
    clearTimeout(timer);
    outcome.answered(response);
  };
  const expire = (): void => {
    controller.abort(new DeadlineExceededError(deadlineExceededMessage(request.service, request.method)));
    answer(deadlineExceeded(request.service, request.method));
  };
  const timer = ownTimer ? setTimeout(expire, timerDelay(remaining)) : undefined;

  void invoke(handler, request, controller.signal).then(
    (response) => {
      try {
        answer(response);
      } finally {
        outcome.finished();
      }
    },
    (error: unknown) => {
      try {
        answer(handlerThrew(request, error));
      } finally {
        outcome.finished();
      }
    },
  );

  return {
    abort(reason, response) {
      clearTimeout(timer);
      controller.abort(reason);
      if (response !== undefined) answer(response);
    },
    expire,
  };
}

/** `startHandler` with the answer as a promise. */
export function runHandler(handler: RpcHandler, request: RpcRequest, deadline: number): AwaitedHandlerRun {
  let resolveResponse!: (response: RpcResponse) => void;
  const response = new Promise<RpcResponse>((resolve) => {
    resolveResponse = resolve;
  });
  const run = startHandler(handler, request, deadline, { answered: resolveResponse, finished() {} });
  return { response, abort: run.abort, expire: run.expire };
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
