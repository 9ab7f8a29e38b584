import { DeadlineSignal, deadlineExceeded } from '../deadline/index.ts';
import type { RpcRequest, RpcResponse } from '../protocol.ts';
import type { Member, Target } from './cluster-target.ts';

/**
 * One attempt of a call at one instance: through the instance's breaker and connection, under the
 * call's deadline, its latency recorded for the target's backup-request threshold. Not async:
 * every call makes one, and an async function's frame, await and return showed in the client's
 * profile as more than the work they wrap.
 */
export function attemptOn(
  member: Member,
  request: RpcRequest,
  signal: AbortSignal | undefined,
  target: Target,
): Promise<RpcResponse> {
  if (signal === undefined && member.connection.enforcesDeadline !== true && request.deadline !== undefined)
    return attemptUnderOwnDeadline(member, request, request.deadline, target);
  const started = performance.now();
  const failed = (error: unknown): RpcResponse => {
    if (request.deadline !== undefined && Date.now() >= request.deadline) {
      return deadlineExceeded(request.service, request.method, request.deadline);
    }
    throw error;
  };
  let answer: Promise<RpcResponse>;
  try {
    // The caller may have given up while the registry was being read.
    signal?.throwIfAborted();
    answer = member.breaker.execute(() => member.connection.call(request, signal), member.instance.id);
  } catch (error) {
    return Promise.reject(error).catch(failed);
  }
  return answer.then((response) => {
    // Only answers from a working instance describe its latency; failures would skew the percentile.
    if (
      response.ok ||
      (response.error.code !== 'UNAVAILABLE' && response.error.code !== 'DEADLINE_EXCEEDED')
    ) {
      target.latency.record(performance.now() - started);
    }
    return response;
  }, failed);
}

/** A connection that does not enforce deadlines gets a signal that aborts the attempt at the deadline. */
async function attemptUnderOwnDeadline(
  member: Member,
  request: RpcRequest,
  deadline: number,
  target: Target,
): Promise<RpcResponse> {
  const own = new DeadlineSignal(deadline);
  try {
    return await attemptOn(member, request, own.signal, target);
  } finally {
    own.dispose();
  }
}
