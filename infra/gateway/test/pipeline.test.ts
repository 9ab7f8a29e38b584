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
  it('calls every access plugin in order, then the proxy, whose verdict it returns', async () => {
    const calls: string[] = [];
    const { walk } = pipeline(calls, [() => undefined, () => undefined]);
    expect(await walk.run(exchange)).toBe(ANSWERED);
    expect(calls).toEqual(['access-0', 'access-1', 'proxy']);
  });

  it('returns a refusal and calls no plugin after it', async () => {
    const calls: string[] = [];
    const { walk } = pipeline(calls, [() => refusal, () => undefined]);
    expect(await walk.run(exchange)).toBe(refusal);
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

  it("fails with a plugin's error, thrown or rejected, for the gateway's try to answer 502", async () => {
    const broken = new Error('broken plugin');
    const { walk: throwing } = pipeline(
      [],
      [
        () => {
          throw broken;
        },
      ],
    );
    // Awaited inside a try, as `Gateway.#handle` does: a throw and a rejection land alike.
    await expect((async () => await throwing.run(exchange))()).rejects.toBe(broken);
    const { walk: rejecting } = pipeline(
      [],
      [() => Promise.resolve(undefined), () => Promise.reject(broken)],
    );
    await expect((async () => await rejecting.run(exchange))()).rejects.toBe(broken);
  });
});
