export { checkDocs } from './check-docs.ts';
export { checkTerms } from './check-terms.ts';
export { buildDocsSite, generateDocs, generateMarkdown, writeDocs, staleFiles } from './generate-docs.ts';
export { loadPlatform, type DocumentedContext, type Platform } from './load-platform.ts';
export { checkTopology } from './platform-map.ts';
export { SITE_DIR, type GeneratedFile } from './render-site.ts';
export {
  createDocsHandler,
  serveDocs,
  type DocsHandler,
  type DocsHandlerOptions,
  type DocsServer,
} from './serve-docs.ts';
