import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { LeanCounter } from '../../src/metrics/lean-counter.ts';
import { LeanHistogram } from '../../src/metrics/lean-histogram.ts';
import { meterRpcHandler } from '../../src/metrics/rpc-server-metrics.ts';

describe('the lean metrics, as the registry writes them', () => {
  it('renders a histogram as Prometheus does: cumulative buckets, +Inf, sum and count per label set', async () => {
    const registry = new Registry();
    const histogram = new LeanHistogram({ name: 'work_seconds', help: 'Work', buckets: [0.1, 1], registry });
    const cell = histogram.cell({ kind: 'a' });
    for (const seconds of [0.05, 0.1, 0.5, 3]) cell.observe(seconds);
    expect(await registry.metrics()).toBe(
      [
        '# HELP work_seconds Work',
        '# TYPE work_seconds histogram',
        'work_seconds_bucket{kind="a",le="0.1"} 2',
        'work_seconds_bucket{kind="a",le="1"} 3',
        'work_seconds_bucket{kind="a",le="+Inf"} 4',
        'work_seconds_sum{kind="a"} 3.65',
        'work_seconds_count{kind="a"} 4',
        '',
      ].join('\n'),
    );
  });

  it('renders a counter per label set', async () => {
    const registry = new Registry();
    const counter = new LeanCounter({ name: 'done_total', help: 'Done', registry });
    counter.cell({ outcome: 'ok' }).inc();
    counter.cell({ outcome: 'error' }).inc(2);
    expect(await registry.metrics()).toContain('done_total{outcome="ok"} 1\ndone_total{outcome="error"} 2');
  });

  it('times RPC calls by service, method and answer code, a rejection as INTERNAL', async () => {
    const registry = new Registry();
    const answers = [
      { ok: true as const, result: 1 },
      { ok: false as const, error: { code: 'NOT_FOUND', message: 'no such course' } },
    ];
    let next = 0;
    const handler = meterRpcHandler(async () => {
      const answer = answers[next++];
      if (answer === undefined) throw new Error('bug');
      return answer;
    }, registry);
    const request = { service: 'commerce-service', method: 'Course.publish', payload: {}, metadata: {} };
    const signal = new AbortController().signal;
    await handler(request, signal);
    await handler(request, signal);
    await expect(handler(request, signal)).rejects.toThrow('bug');
    const text = await registry.metrics();
    for (const code of ['OK', 'NOT_FOUND', 'INTERNAL'])
      expect(text).toContain(
        `strata_rpc_server_duration_seconds_count{service="commerce-service",method="Course.publish",code="${code}"} 1`,
      );
  });
});
