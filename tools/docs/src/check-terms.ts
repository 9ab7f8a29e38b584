import { checkGlossary, contractElements, type ContractElementKind } from '@strata/shared-kernel';
import type { DocumentedContext } from './load-platform.ts';

const KIND_NAMES: Record<ContractElementKind, string> = {
  aggregate: 'aggregate',
  creation: 'creation',
  command: 'command',
  query: 'query',
  finder: 'finder',
  event: 'event',
  'view-field': 'field',
  'input-field': 'field',
  'payload-field': 'field',
};

/**
 * The docs' own standard, stricter than the kernel's `checkGlossary`: a domain expert reads every
 * field of a table, so every field needs a definition too, not only aggregates, methods and events.
 * Each message names the context and the offender, e.g.
 * `catalog: field Course.addLesson.title has no glossary definition`.
 */
export function checkTerms(context: DocumentedContext): string[] {
  const { contract, glossary } = context;
  const problems: string[] = [];
  for (const problem of checkGlossary(contract, glossary)) {
    // Undefined terms are reported below, fields included, in one wording.
    if (problem.kind === 'unknown-ref') {
      problems.push(
        `${contract.context}: glossary ${problem.message}; fix or remove the ref in ${context.dir}/src/glossary.ts`,
      );
    } else if (problem.kind === 'wrong-context') {
      problems.push(`${contract.context}: ${problem.message}`);
    }
  }
  const defined = new Set(glossary.terms.flatMap((term) => term.refs));
  for (const element of contractElements(contract)) {
    if (!defined.has(element.ref)) {
      problems.push(
        `${contract.context}: ${KIND_NAMES[element.kind]} ${element.ref} has no glossary definition; add its ref to a term in ${context.dir}/src/glossary.ts`,
      );
    }
  }
  return problems;
}
