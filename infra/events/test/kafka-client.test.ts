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

describe('kafkaClient', () => {
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
