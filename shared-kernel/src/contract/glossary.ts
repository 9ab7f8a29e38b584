import type { Contract } from './define-contract.ts';
import { contractElements } from './contract-elements.ts';

/**
 * A term of the ubiquitous language. `refs` name the contract elements the term stands for
 * (`Course`, `Course.publish`, `CoursePublished`, `Course.title`, `Course.addLesson.title`,
 * `CoursePublished.courseId`); `avoid` lists the words the domain experts asked not to use.
 */
export interface GlossaryTerm {
  term: string;
  definition: string;
  avoid?: string[];
  refs: string[];
}

export interface Glossary {
  context: string;
  terms: GlossaryTerm[];
}

export function defineGlossary(glossary: Glossary): Glossary {
  const seen = new Set<string>();
  for (const { term, definition } of glossary.terms) {
    if (term.trim() === '' || definition.trim() === '') {
      throw new TypeError(
        `glossary of ${glossary.context}: every term needs a name and a definition (term ${JSON.stringify(term)})`,
      );
    }
    const key = term.toLowerCase();
    if (seen.has(key))
      throw new TypeError(`glossary of ${glossary.context}: term "${term}" is defined twice`);
    seen.add(key);
  }
  return glossary;
}

export interface GlossaryProblem {
  kind: 'wrong-context' | 'unknown-ref' | 'undefined-term';
  /** The ref or the contract element concerned. */
  ref: string;
  message: string;
}

/**
 * What keeps a glossary honest against its contract: every ref names an element, and every
 * aggregate, method and event is named by some term. Fields need no term of their own.
 */
export function checkGlossary(contract: Contract, glossary: Glossary): GlossaryProblem[] {
  const problems: GlossaryProblem[] = [];
  if (glossary.context !== contract.context) {
    problems.push({
      kind: 'wrong-context',
      ref: glossary.context,
      message: `glossary is for context "${glossary.context}" but the contract is "${contract.context}"`,
    });
  }
  const elements = contractElements(contract);
  const known = new Set(elements.map((element) => element.ref));
  const referenced = new Set<string>();
  for (const { term, refs } of glossary.terms) {
    for (const ref of refs) {
      referenced.add(ref);
      if (!known.has(ref)) {
        problems.push({
          kind: 'unknown-ref',
          ref,
          message: `term "${term}" refers to ${ref}, which the ${contract.context} contract does not declare`,
        });
      }
    }
  }
  for (const element of elements) {
    if (element.kind.endsWith('-field') || referenced.has(element.ref)) continue;
    problems.push({
      kind: 'undefined-term',
      ref: element.ref,
      message: `${element.kind} ${element.ref} of the ${contract.context} contract has no glossary term; add one whose refs include "${element.ref}"`,
    });
  }
  return problems;
}
