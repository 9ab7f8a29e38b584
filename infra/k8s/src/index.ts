export { generatedFiles, releaseOf } from './generate.ts';
export * from './manifests.ts';
export * from './platform-services.ts';
