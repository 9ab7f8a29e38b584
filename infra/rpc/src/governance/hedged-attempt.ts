import { DeadlineSignal } from '../deadline/index.ts';
import type { RpcRequest, RpcResponse } from '../protocol.ts';
import type { ClusterInvokerConfig } from './cluster-invoker-options.ts';
import { chooseMember, type Member, type Target } from './cluster-target.ts';

export interface HedgedAttempt {
  target: Target;
  primary: Member;
  request: RpcRequest;
  /** The call's signal (deadline and caller); every attempt follows it. */
  signal: AbortSignal;
  /** The caller's own signal, whose reason is rethrown when the caller gave up. */
  callerSignal: AbortSignal | undefined;
  /** Instances tried for this call; the backup goes to one not in it, and is added. */
  tried: Set<string>;
  hedging: ClusterInvokerConfig['hedging'];
  attempt: (member: Member, request: RpcRequest, signal: AbortSignal) => Promise<RpcResponse>;
}

/**
 * Sends the query to `primary`; if no answer comes within the recent latency percentile and
 * the budget allows, sends a backup to another instance. The first decisive answer wins and
 * the other call is cancelled.
 */
export function hedgedAttempt(call: HedgedAttempt): Promise<RpcResponse> {
  const { target, primary, request, signal, callerSignal, tried, hedging, attempt } = call;
  const threshold =
    hedging === false || target.latency.count < hedging.minSamples
      ? undefined
      : target.latency.percentile(hedging.percentile);
  // A half-open probe is never raced: cockatiel counts a cancelled probe as a success and would
  // close the breaker of an instance nobody has heard from.
  if (threshold === undefined || primary.breaker.state !== 'closed') return attempt(primary, request, signal);

  return new Promise<RpcResponse>((resolve, reject) => {
    /** The attempts still waiting for their answer: only these are cancelled when the race ends. */
    const running = new Set<DeadlineSignal>();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      // Most races have one attempt, already answered: no reason to build and nothing to abort.
      if (running.size > 0) {
        const reason = new Error('another instance answered first');
        for (const cancel of running) cancel.abort(reason);
      }
      outcome();
    };
    const launch = (member: Member): void => {
      // Follows the call's signal, and the race's end cancels it on its own.
      const cancel = new DeadlineSignal(undefined, signal);
      running.add(cancel);
      attempt(member, request, cancel.signal).then(
        (response) => {
          cancel.dispose();
          running.delete(cancel);
          const decisive = response.ok || response.error.code !== 'UNAVAILABLE';
          if (decisive || running.size === 0) finish(() => resolve(response));
        },
        (error: unknown) => {
          cancel.dispose();
          running.delete(cancel);
          finish(() => reject(callerSignal?.aborted ? callerSignal.reason : error));
        },
      );
    };

    launch(primary);
    timer = setTimeout(() => {
      timer = undefined;
      if (settled) return;
      const backup = chooseMember(target, tried, undefined);
      if (backup === undefined || tried.has(backup.instance.id) || !target.hedgeBudget!.tryHedge()) return;
      tried.add(backup.instance.id);
      target.hedges += 1;
      launch(backup);
    }, threshold);
  });
}
