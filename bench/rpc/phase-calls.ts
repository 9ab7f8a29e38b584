import { context, trace, TraceFlags } from '@opentelemetry/api';
import { LEAN_ROOT_CONTEXT } from '@strata/telemetry';
import { isEchoOf, type CourseDraft } from './payload.ts';
import type { PeerClient } from './peer.ts';

/*
 * The client side of the sampling phases (sampling-phases.ts): calls kept in flight without pause,
 * each made inside a parent span context whose sampled flag the wall-clock second decides, as an
 * application service's calls are made inside its HTTP request's context. The traced processes'
 * samplers are parent-based, so the client's span follows the flag and the server's follows the
 * client's: in a second the cycle gives 0 nothing is sampled, in one given 0.1 one call in ten is.
 * Loaded only by the phase client, so no other row's client process loads the OpenTelemetry API.
 */

export interface PhaseJob {
  /** Seconds driven before the measured ones, with the same cycle, so both paths are warm. */
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** The share of calls sampled in each second: second s uses cycle[s % cycle.length]. */
  readonly cycle: readonly number[];
}

export interface PhaseCalls {
  /** Calls answered, by the wall-clock second (Unix seconds) they were answered in. */
  readonly callsBySecond: [number, number][];
  /** The measured seconds: from `measuredFrom` up to, not including, `measuredUntil`. */
  readonly measuredFrom: number;
  readonly measuredUntil: number;
}

const hex16 = (value: number): string => value.toString(16).padStart(16, '0');

/** A parent for call `n` sent in `second`: its trace id starts with the second (span-seconds.ts reads it). */
function parentOf(second: number, n: number, sampled: boolean) {
  return trace.setSpanContext(LEAN_ROOT_CONTEXT, {
    traceId: hex16(second) + hex16(n),
    spanId: hex16(n),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

export async function callInPhases(
  client: PeerClient,
  payload: CourseDraft,
  concurrency: number,
  job: PhaseJob,
): Promise<PhaseCalls> {
  const measuredFrom = Math.floor(Date.now() / 1000) + job.warmupSeconds + 1;
  const measuredUntil = measuredFrom + job.seconds;
  const calls = new Map<number, number>();
  let sent = 0;
  let failure: Error | undefined;
  const lane = async (): Promise<void> => {
    while (Date.now() < measuredUntil * 1000 && failure === undefined) {
      const second = Math.floor(Date.now() / 1000);
      const share = job.cycle[second % job.cycle.length]!;
      const n = ++sent;
      // Spread evenly: call n is sampled when n × share passes a whole number.
      const sampled = Math.floor(n * share) !== Math.floor((n - 1) * share);
      try {
        const answer = await context.with(parentOf(second, n, sampled), () => client.call(payload));
        if (!isEchoOf(payload, answer))
          throw new Error(
            `call ${n} came back with the wrong answer: ${JSON.stringify(answer)?.slice(0, 200)}`,
          );
        const answered = Math.floor(Date.now() / 1000);
        calls.set(answered, (calls.get(answered) ?? 0) + 1);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (failure !== undefined) throw failure;
  return { callsBySecond: [...calls], measuredFrom, measuredUntil };
}
