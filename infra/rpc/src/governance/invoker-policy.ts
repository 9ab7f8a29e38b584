import type { CallPolicy, Contract } from '@strata/shared-kernel';
import type { ClusterInvokerOptions } from './cluster-invoker-options.ts';

type PolicyOptions = Pick<ClusterInvokerOptions, 'defaultTimeoutMs' | 'balancing' | 'rateLimit' | 'hedging'>;

/**
 * The ClusterInvoker options for one data service, read from the call policies its contracts
 * declare. One service's instances are picked one way and share one client-side bucket, so the
 * contexts it hosts must agree on balancing and rate limit; the longest timeout wins (each
 * contract client still applies its own), and queries are hedged if any contract allows it.
 */
export function invokerPolicyFor(service: string, contracts: readonly Contract[]): PolicyOptions {
  const [first, ...rest] = contracts;
  if (first === undefined) throw new TypeError(`name the contracts ${service} is called for`);
  for (const other of rest) {
    for (const field of ['balancing', 'rateLimit'] as const) {
      if (JSON.stringify(other.callPolicy[field]) !== JSON.stringify(first.callPolicy[field])) {
        throw new TypeError(
          `contexts ${first.context} and ${other.context}, both hosted by ${service}, declare different call policy ${field}s ` +
            `(${describe(first.callPolicy[field])} and ${describe(other.callPolicy[field])}); one service's instances are picked one way`,
        );
      }
    }
  }
  const policies: CallPolicy[] = contracts.map((contract) => contract.callPolicy);
  const { balancing, rateLimit } = first.callPolicy;
  return {
    defaultTimeoutMs: Math.max(...policies.map((policy) => policy.timeoutMs)),
    balancing: { default: balancing, services: {} },
    rateLimit: rateLimit === undefined ? { services: {} } : { default: rateLimit, services: {} },
    hedging: policies.some((policy) => policy.hedgeQueries) ? {} : false,
  };
}

function describe(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
