import type { Contract } from '@strata/shared-kernel';
import type { LooseImplementation } from './contract-call.ts';

/** Refuses, when the service starts, an implementation that misses a declared method or serves one the contract does not declare. */
export function checkComplete(
  contract: Contract,
  implementations: Record<string, LooseImplementation>,
): void {
  const problems: string[] = [];
  for (const [aggregate, definition] of Object.entries(contract.aggregates)) {
    const implementation = implementations[aggregate];
    if (implementation === undefined) {
      problems.push(`aggregate ${aggregate} has no implementation`);
      continue;
    }
    if (typeof implementation.aggregateType !== 'string' || typeof implementation.toView !== 'function') {
      problems.push(`${aggregate} needs an aggregateType and a toView function`);
    }
    for (const section of ['creations', 'commands', 'queries'] as const) {
      const declared = Object.keys(definition[section]);
      const given = Object.keys(implementation[section] ?? {});
      for (const name of declared.filter((name) => !given.includes(name)))
        problems.push(`${aggregate}.${name} has no handler`);
      for (const name of given.filter((name) => !declared.includes(name))) {
        problems.push(
          `${aggregate}.${name} is not declared in ${section} of the contract; only declared aggregate methods can be served`,
        );
      }
    }
  }
  for (const aggregate of Object.keys(implementations).filter((name) => !(name in contract.aggregates))) {
    problems.push(`${aggregate} is not an aggregate of the contract`);
  }
  if (problems.length > 0) {
    throw new TypeError(
      `the implementation of the ${contract.context} contract is incomplete: ${problems.join('; ')}`,
    );
  }
}
