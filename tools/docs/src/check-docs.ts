import { checkCodeLanguage } from './check-code-language.ts';
import { checkTerms } from './check-terms.ts';
import { generateMarkdown, staleFiles } from './generate-docs.ts';
import type { Platform } from './load-platform.ts';
import { checkTopology } from './platform-map.ts';

/**
 * What `npm run docs:check` reports, one message per offender: contract terms with no glossary
 * definition, glossary refs to nothing, names and codes in a context's code that use a word its
 * glossary says to avoid, business rules whose name and code disagree, topology entries the code contradicts, and committed
 * generated markdown that differs from fresh output (the HTML site is built, not committed). Empty means the docs are complete and current.
 */
export async function checkDocs(platform: Platform): Promise<string[]> {
  return [
    ...platform.contexts.flatMap(checkTerms),
    ...(
      await Promise.all(platform.contexts.map((context) => checkCodeLanguage(platform.root, context)))
    ).flat(),
    ...checkTopology(platform),
    ...(await staleFiles(platform.root, generateMarkdown(platform))),
  ];
}
