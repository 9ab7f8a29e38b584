import { describe, expect, it } from '@jest/globals';
import type { Exchange } from '../src/exchange.ts';
import { Pipeline } from '../src/plugins/pipeline.ts';
import { ANSWERED, type GatewayPlugin, type Verdict } from '../src/plugins/plugin.ts';
import { problem } from '../src/problem.ts';

// The pipeline's walk (plugins/pipeline.ts) with plain plugins: what it returns, in which order it
// calls them, and how a plugin's failure reaches the gateway, which awaits the walk in its `try`.

const exchange = {} as Exchange;
const refusal = problem(403, 'refused', 'Forbidden', 'a plugin said no');

function pipeline(calls: string[], access: ((exchange: Exchange) => Verdict | Promise<Verdict>)[]) {
  const answered = Promise.resolve<Verdict>(ANSWERED);
  const plugins: GatewayPlugin[] = access.map((run, index) => ({
    name: `access-${index}`,
    access: (exchange) => {
      calls.push(`access-${index}`);
      return run(exchange);
    },
  }));
  plugins.push({
    name: 'proxy',
    proxy: () => {
      calls.push('proxy');
      return answered;
    },
  });
  return { walk: new Pipeline(plugins), answered };
}

describe('the pipeline', () => {
  it("returns the proxy's own promise when every plugin answers synchronously", () => {
    const calls: string[] = [];
    const { walk, answered } = pipeline(calls, [() => undefined, () => undefined]);
    expect(walk.run(exchange)).toBe(answered);
    expect(calls).toEqual(['access-0', 'access-1', 'proxy']);
  });

  it('returns a synchronous refusal as it is, and calls no plugin after it', () => {
    const calls: string[] = [];
    const { walk } = pipeline(calls, [() => refusal, () => undefined]);
    expect(walk.run(exchange)).toBe(refusal);
    expect(calls).toEqual(['access-0']);
  });

  it('goes on after a plugin that answered with a promise, in order, up to a later refusal', async () => {
    const calls: string[] = [];
    const { walk } = pipeline(calls, [
      () => undefined,
      () => Promise.resolve(undefined),
      () => undefined,
      () => Promise.resolve<Verdict>(refusal),
      () => undefined,
    ]);
    expect(await walk.run(exchange)).toBe(refusal);
    expect(calls).toEqual(['access-0', 'access-1', 'access-2', 'access-3']);
  });

  it('reaches the proxy after plugins that answered with promises', async () => {
    const calls: string[] = [];
    const { walk } = pipeline(calls, [() => Promise.resolve(undefined), () => undefined]);
    expect(await walk.run(exchange)).toBe(ANSWERED);
    expect(calls).toEqual(['access-0', 'access-1', 'proxy']);
  });

  it("throws a synchronous plugin's error to its caller, and rejects with an asynchronous one's", async () => {
    const broken = new Error('broken plugin');
    const { walk: throwing } = pipeline(
      [],
      [
        () => {
          throw broken;
        },
      ],
    );
    let thrown: unknown;
    try {
      // An async walk would return a rejection here instead (handled, so the test can say so).
      const result = throwing.run(exchange);
      if (result instanceof Promise) await result.catch(() => undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(broken);
    const { walk: rejecting } = pipeline(
      [],
      [() => Promise.resolve(undefined), () => Promise.reject(broken)],
    );
    await expect(rejecting.run(exchange)).rejects.toBe(broken);
  });
});
