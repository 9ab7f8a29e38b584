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
    const cancels: DeadlineSignal[] = [];
    let running = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const cancel of cancels) cancel.abort(new Error('another instance answered first'));
      outcome();
    };
    const launch = (member: Member): void => {
      // Follows the call's signal, and the race's end cancels it on its own.
      const cancel = new DeadlineSignal(undefined, signal);
      cancels.push(cancel);
      running += 1;
      attempt(member, request, cancel.signal).then(
        (response) => {
          cancel.dispose();
          running -= 1;
          const decisive = response.ok || response.error.code !== 'UNAVAILABLE';
          if (decisive || running === 0) finish(() => resolve(response));
        },
        (error: unknown) => {
          cancel.dispose();
          running -= 1;
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
