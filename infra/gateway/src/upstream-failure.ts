import type { CallJudgement } from '@strata/rpc';
import { problem, type Problem } from './problem.ts';

/**
 * Who a failed proxy attempt is to blame on. Only an `upstream` failure may count against the
 * instance (toward ejection): anything else would let a client eject healthy instances by sending
 * requests the proxy cannot forward.
 */
export type Blame = 'upstream' | 'client' | 'gateway';

export interface AttemptFailure {
  readonly blame: Blame;
  readonly code: string | undefined;
  /** The code and message, as logs and the upstream view show them. */
  readonly reason: string;
  /** The instance failed beyond doubt (refused or reset connection): eject at once. */
  readonly conclusive: boolean;
  readonly timedOut: boolean;
  /** Another instance may be tried: only when this one is at fault. */
  readonly retryable: boolean;
  /** The request never reached the upstream, so even a non-idempotent one may go elsewhere. */
  readonly neverSent: boolean;
  readonly problem: Problem;
}

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const conclusiveCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'EPIPE',
]);
/** The network to the upstream failed, beyond the timeouts and conclusive codes. */
const unreachableCodes = new Set(['ETIMEDOUT', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * The upstream answered, but not in HTTP the gateway may pass on: RFC 9110's "invalid response
 * from an inbound server", a 502, where an upstream that could not be reached is a 503. HPE_*
 * come from parsing the upstream's answer: the client's request was parsed by Node already.
 */
function isInvalidResponse(code: string | undefined): code is string {
  return code !== undefined && (code === 'UND_ERR_HEADERS_OVERFLOW' || code.startsWith('HPE_'));
}
/** The upstream client refusing what the client sent (upstream-request-head.ts, with undici's codes). */
const clientCodes = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);

function codeOf(error: NodeJS.ErrnoException): string | undefined {
  return error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
}

/** Sorts an attempt's error by who caused it and says what the client is answered. */
export function judgeAttemptFailure(
  error: NodeJS.ErrnoException,
  service: string,
  instanceId: string,
): AttemptFailure {
  const code = codeOf(error);
  const reason = `${code ?? 'error'}: ${error.message}`;
  const timedOut = code !== undefined && timeoutCodes.has(code);
  const conclusive = code !== undefined && conclusiveCodes.has(code);
  // The upstream's fault: another instance may be tried (only an idempotent request, unless never sent).
  const upstreamFault = (answer: Problem, neverSent: boolean): AttemptFailure => ({
    blame: 'upstream',
    code,
    reason,
    conclusive,
    timedOut,
    retryable: true,
    neverSent,
    problem: answer,
  });
  if (timedOut) {
    return upstreamFault(
      problem(
        504,
        'upstream-timeout',
        'Gateway Timeout',
        `instance ${instanceId} of ${service} did not answer in time`,
      ),
      code === 'UND_ERR_CONNECT_TIMEOUT',
    );
  }
  if (isInvalidResponse(code)) {
    return upstreamFault(
      problem(
        502,
        'upstream-invalid-response',
        'Bad Gateway',
        `instance ${instanceId} of ${service} answered with a response the gateway cannot pass on (${code})`,
      ),
      false,
    );
  }
  if (conclusive || (code !== undefined && unreachableCodes.has(code))) {
    return upstreamFault(
      problem(
        503,
        'upstream-unavailable',
        'Service Unavailable',
        `instance ${instanceId} of ${service} failed (${code ?? error.message}); it is ejected until healthy`,
      ),
      code === 'ECONNREFUSED',
    );
  }
  if (code !== undefined && clientCodes.has(code)) {
    return {
      blame: 'client',
      code,
      reason,
      conclusive: false,
      timedOut,
      retryable: false,
      neverSent: true,
      problem: problem(
        400,
        'unforwardable-request',
        'Bad Request',
        `the request cannot be forwarded as sent (${error.message})`,
      ),
    };
  }
  // Neither side is known to be at fault: the gateway's own failure, logged, never an upstream's.
  return {
    blame: 'gateway',
    code,
    reason,
    conclusive: false,
    timedOut,
    retryable: false,
    neverSent: false,
    problem: problem(
      502,
      'proxy-failure',
      'Bad Gateway',
      'the gateway could not complete the request; see its log under this request id',
    ),
  };
}

/**
 * What one proxy attempt came to, as the instance's circuit breaker reads it: the status of the
 * upstream's response head, or the failure that left no head. Failures not blamed on the upstream
 * never get here (see UncountedFailure): they must neither count against the instance nor reset
 * its count.
 */
export type AttemptResult = number | AttemptFailure;

/** A failed attempt that says nothing about the instance: the client's or the gateway's fault, or a client gone. */
export class UncountedFailure extends Error {
  readonly failure: AttemptFailure | undefined;

  constructor(failure: AttemptFailure | undefined) {
    super(failure?.reason ?? 'the client left');
    this.failure = failure;
  }
}

export function describeAttempt(result: AttemptResult): string {
  return typeof result === 'number' ? `answered ${result}` : result.reason;
}

/**
 * The gateway's reading for the shared breaker: a 5xx head or an upstream failure counts, and a
 * refused or reset connection is proof enough to eject at once; slower failures need the threshold.
 */
export function attemptJudgement(service: string): CallJudgement<AttemptResult> {
  return {
    failed: (result) => (typeof result === 'number' ? result >= 500 : true),
    conclusive: (result) => typeof result !== 'number' && result.conclusive,
    refused: (instanceId) => ({
      blame: 'upstream',
      code: undefined,
      reason: 'circuit open',
      conclusive: false,
      timedOut: false,
      retryable: true,
      neverSent: true,
      problem: problem(
        503,
        'upstream-unavailable',
        'Service Unavailable',
        `instance ${instanceId} of ${service} is ejected until healthy`,
      ),
    }),
  };
}
