import { z } from '@strata/shared-kernel';
import { measure } from './measure.ts';
import { makeCourseDraft, makeInvalidCourseDraft } from './payload.ts';
import type { PeerClient } from './peer.ts';
import { peerById } from './peer-list.ts';
import { cpuReader, schedulerCounts, stolenSeconds, syscallCount } from '../shared/process-cpu.ts';

/**
 * The client side of one round, in its own process: a fresh heap and JIT per peer, so one peer's
 * garbage, timers or warmed-up code cannot tilt the next one's numbers. run.ts forks it with the
 * job below and gets back a Measurement or an error over IPC.
 */
const jobSchema = z.object({
  peer: z.string(),
  port: z.number().int().min(1).max(65_535),
  serverPid: z.number().int().positive(),
  shape: z.object({
    concurrency: z.number().int().min(1),
    warmup: z.number().int().min(0),
    calls: z.number().int().min(1),
  }),
  // The sampling phases (sampling-phases.ts) instead of a round: only the shape's concurrency counts.
  phases: z
    .object({
      warmupSeconds: z.number().int().min(0),
      seconds: z.number().int().min(1),
      cycle: z.array(z.number().min(0).max(1)).min(1),
    })
    .optional(),
});

/** Longer than the traced processes' export delay (5 s), so every span of the last second reaches the sink. */
const EXPORTED_WITHIN_MS = 7_000;

/** A row is only comparable if its server really validates, so an invalid draft must be refused. */
async function expectRefusal(client: PeerClient): Promise<void> {
  const answer = await client.call(makeInvalidCourseDraft()).then(
    (value) => ({ refused: false, value }),
    () => ({ refused: true, value: undefined }),
  );
  if (!answer.refused) {
    throw new Error(
      `the server accepted an invalid draft and answered ${JSON.stringify(answer.value)?.slice(0, 200)}`,
    );
  }
}

async function runJob(raw: unknown): Promise<unknown> {
  const job = jobSchema.parse(raw);
  const peer = peerById(job.peer);
  if (peer === undefined) throw new Error(`no peer with id ${job.peer}`);
  const client = await peer.createClient(job.port);
  try {
    if (peer.validatesInput) await expectRefusal(client);
    if (job.phases !== undefined) {
      const { callInPhases } = await import('./phase-calls.ts');
      const calls = await callInPhases(client, makeCourseDraft(), job.shape.concurrency, job.phases);
      await new Promise((resolve) => setTimeout(resolve, EXPORTED_WITHIN_MS));
      return calls;
    }
    const bothProcesses =
      <T>(read: (pid: number) => T | undefined, add: (a: T, b: T) => T) =>
      () => {
        const [own, server] = [read(process.pid), read(job.serverPid)];
        return own === undefined || server === undefined ? undefined : add(own, server);
      };
    return await measure(client, makeCourseDraft(), job.shape, {
      serverCpu: cpuReader([job.serverPid]),
      syscalls: bothProcesses(syscallCount, (a, b) => a + b),
      scheduler: bothProcesses(schedulerCounts, (a, b) => ({
        migrations: a.migrations + b.migrations,
        preempted: a.preempted + b.preempted,
      })),
      stolenSeconds,
      peer: job.peer,
      serverPid: job.serverPid,
    });
  } finally {
    await client.close();
  }
}

// A bench that went away (Ctrl-C, crash) leaves nobody to report to.
process.once('disconnect', () => process.exit(1));
process.once('message', (job) => {
  runJob(job).then(
    (measurement) => process.send!({ ok: true, measurement }, () => process.exit(0)),
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.send!({ ok: false, error: message }, () => process.exit(1));
    },
  );
});
