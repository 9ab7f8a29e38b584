import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import { kafkaClient } from '../src/kafka-client.ts';

/** kafkajs's request queue, one per broker connection: its check of the requests waiting to be sent. */
const { prototype: requestQueue } = createRequire(import.meta.url)(
  'kafkajs/src/network/requestQueue/index.js',
) as {
  prototype: { checkPendingRequests(): void };
};

/**
 * The stderr of a fresh node process that makes a client (`kafkajs`' own, or ours) and runs one admin
 * round trip: Node prints a warning once per process, so the check needs a process of its own.
 */
function stderrOfRoundTrip(makeClient: string): string {
  const script = `
    import { Kafka } from 'kafkajs';
    import { kafkaClient } from '@strata/kafka';
    const kafka = ${makeClient}({ clientId: 'negative-timeout-test', brokers: ${JSON.stringify(stackEndpoints().kafkaBrokers)}, logLevel: 0 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`the round trip failed (${run.status}): ${run.stderr}`);
  return run.stderr;
}

describe('kafkaClient', () => {
  it('prints no TimeoutNegativeWarning, which kafkajs as released does (tulios/kafkajs#1751)', () => {
    // The released client's warning is checked first, so this test cannot pass because the
    // round trip never reached the code that warns.
    expect(stderrOfRoundTrip('new Kafka')).toContain('TimeoutNegativeWarning');
    expect(stderrOfRoundTrip('kafkaClient')).not.toContain('TimeoutNegativeWarning');
  });

  it('leaves an idle broker connection alone: nothing checks its empty request queue (ADR 0056)', async () => {
    const kafka = kafkaClient({
      clientId: 'idle-polling-test',
      brokers: stackEndpoints().kafkaBrokers,
    });
    const admin = kafka.admin();
    await admin.connect();
    const check = requestQueue.checkPendingRequests;
    let checks = 0;
    requestQueue.checkPendingRequests = function (this: unknown) {
      checks += 1;
      check.call(this);
    };
    try {
      expect(await admin.listTopics()).toEqual(expect.any(Array));
      checks = 0;
      // kafkajs as released checks once a millisecond here: a few hundred times in this pause.
      await sleep(500);
      expect(checks).toBeLessThan(5);
    } finally {
      requestQueue.checkPendingRequests = check;
      await admin.disconnect();
    }
  });
});
