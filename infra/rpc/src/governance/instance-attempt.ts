import { DeadlineSignal, deadlineExceeded } from '../deadline/index.ts';
import type { RpcRequest, RpcResponse } from '../protocol.ts';
import type { Member, Target } from './cluster-target.ts';

/**
 * One attempt of a call at one instance: through the instance's breaker and connection, under the
 * call's deadline, its latency recorded for the target's backup-request threshold.
 */
export async function attemptOn(
  member: Member,
  request: RpcRequest,
  signal: AbortSignal | undefined,
  target: Target,
): Promise<RpcResponse> {
  if (signal === undefined && member.connection.enforcesDeadline !== true && request.deadline !== undefined) {
    const own = new DeadlineSignal(request.deadline);
    try {
      return await attemptOn(member, request, own.signal, target);
    } finally {
      own.dispose();
    }
  }
  const started = performance.now();
  try {
    // The caller may have given up while the registry was being read.
    signal?.throwIfAborted();
    const response = await member.breaker.execute(
      () => member.connection.call(request, signal),
      member.instance.id,
    );
    // Only answers from a working instance describe its latency; failures would skew the percentile.
    if (
      response.ok ||
      (response.error.code !== 'UNAVAILABLE' && response.error.code !== 'DEADLINE_EXCEEDED')
    ) {
      target.latency.record(performance.now() - started);
    }
    return response;
  } catch (error) {
    if (request.deadline !== undefined && Date.now() >= request.deadline) {
      return deadlineExceeded(request.service, request.method, request.deadline);
    }
    throw error;
  }
}
