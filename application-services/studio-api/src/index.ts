export { createStudioApi, type StudioApiOptions } from './create-studio-api.ts';
export { StudioApiModule, type StudioApiDependencies } from './studio-api.module.ts';
export { studioApiOpenApi } from './studio-api-openapi.ts';
