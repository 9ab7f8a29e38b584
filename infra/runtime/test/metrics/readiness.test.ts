import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { Readiness } from '../../src/metrics/readiness.ts';

describe('readiness', () => {
  it('is unready while a critical check fails, reports a failing non-critical one, and tells each change once', async () => {
    let databaseUp = true;
    const changes: boolean[] = [];
    const registry = new Registry();
    const readiness = new Readiness({
      checks: [
        {
          name: 'database',
          check: async () => {
            if (!databaseUp) throw new Error('connect ECONNREFUSED');
          },
        },
        { name: 'kafka', critical: false, check: async () => Promise.reject(new Error('broker down')) },
      ],
      onChange: (ready) => void changes.push(ready),
      metrics: registry,
    });
    expect(readiness.report).toMatchObject({ ready: false, status: 'starting' });
    await readiness.evaluate();
    expect(readiness.report).toEqual({
      ready: true,
      status: 'ready',
      checks: { database: 'ok', kafka: 'broker down' },
    });
    databaseUp = false;
    await readiness.evaluate();
    await readiness.evaluate();
    expect(readiness.report).toMatchObject({
      ready: false,
      status: 'unready',
      checks: { database: 'connect ECONNREFUSED' },
    });
    expect(await registry.metrics()).toContain('strata_readiness_check{check="database",critical="true"} 0');
    databaseUp = true;
    await readiness.evaluate();
    expect(changes).toEqual([true, false, true]);
    readiness.markStopping();
    await readiness.evaluate();
    expect(readiness.report).toMatchObject({ ready: false, status: 'stopping' });
    expect(changes).toEqual([true, false, true]);
  });

  it('fails a check that does not answer in time', async () => {
    const readiness = new Readiness({
      checks: [{ name: 'database', check: () => new Promise<void>(() => {}) }],
      timeoutMs: 50,
    });
    await readiness.evaluate();
    expect(readiness.report).toEqual({
      ready: false,
      status: 'unready',
      checks: { database: 'no answer within 50 ms' },
    });
  });
});
