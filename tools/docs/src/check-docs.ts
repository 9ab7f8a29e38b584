import { checkTerms } from './check-terms.ts';
import { generateDocs, staleFiles } from './generate-docs.ts';
import type { Platform } from './load-platform.ts';
import { checkTopology } from './platform-map.ts';

/**
 * What `npm run docs:check` reports, one message per offender: contract terms with no glossary
 * definition, glossary refs to nothing, topology entries the code contradicts, and generated files
 * that differ from fresh output. Empty means the docs are complete and current.
 */
export async function checkDocs(platform: Platform): Promise<string[]> {
  return [
    ...platform.contexts.flatMap(checkTerms),
    ...checkTopology(platform),
    ...(await staleFiles(platform.root, generateDocs(platform))),
  ];
}
