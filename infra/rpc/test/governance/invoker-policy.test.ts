import { describe, expect, it } from '@jest/globals';
import { aggregate, defineContract, z, type CallPolicy } from '@strata/shared-kernel';
import { invokerPolicyFor } from '../../src/governance/invoker-policy.ts';

const contractWith = (context: string, callPolicy: Partial<CallPolicy>) =>
  defineContract({
    context,
    callPolicy,
    aggregates: { Thing: aggregate({ id: z.string(), view: z.object({ id: z.string() }) }) },
  });

describe('the ClusterInvoker options a data service gets from its contracts’ call policies', () => {
  it('takes balancing, rate limit, timeout and hedging from the policy', () => {
    const catalog = contractWith('catalog', {
      balancing: 'consistent-hash',
      timeoutMs: 3_000,
      rateLimit: { ratePerSecond: 10, burst: 5 },
      hedgeQueries: false,
    });
    expect(invokerPolicyFor('commerce-service', [catalog])).toEqual({
      defaultTimeoutMs: 3_000,
      balancing: { default: 'consistent-hash', services: {} },
      rateLimit: { default: { ratePerSecond: 10, burst: 5 }, services: {} },
      hedging: false,
    });
  });

  it('lets the contexts of one service share it: the longest timeout, hedging if any allows it', () => {
    const options = invokerPolicyFor('commerce-service', [
      contractWith('catalog', { timeoutMs: 2_000, hedgeQueries: false }),
      contractWith('ordering', { timeoutMs: 4_000, hedgeQueries: true }),
    ]);
    expect(options.defaultTimeoutMs).toBe(4_000);
    expect(options.hedging).toEqual({});
    expect(options.rateLimit).toEqual({ services: {} });
  });

  it('refuses contexts of one service that disagree on balancing or rate limit', () => {
    expect(() =>
      invokerPolicyFor('commerce-service', [
        contractWith('catalog', { balancing: 'consistent-hash' }),
        contractWith('ordering', { balancing: 'round-robin' }),
      ]),
    ).toThrow(
      /catalog and ordering, both hosted by commerce-service, declare different call policy balancings/,
    );
    expect(() =>
      invokerPolicyFor('commerce-service', [
        contractWith('catalog', { rateLimit: { ratePerSecond: 1, burst: 1 } }),
        contractWith('ordering', {}),
      ]),
    ).toThrow(/different call policy rateLimits/);
  });

  it('refuses an invalid policy where the contract is defined, naming the field', () => {
    expect(() => contractWith('catalog', { timeoutMs: -1 })).toThrow(
      /call policy of context catalog is invalid: timeoutMs/,
    );
  });
});
