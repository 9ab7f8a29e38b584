export { createAccountApi, type AccountApiOptions } from './create-account-api.ts';
export {
  AccountApiModule,
  DEFAULT_POLICY,
  type AccountApiDependencies,
  type AccountApiPolicy,
} from './account-api.module.ts';
export type { AccountStore, LoginFailures, RotationOutcome, StoredSigningKey } from './account-store.ts';
export { MemoryAccountStore } from './memory-account-store.ts';
export { RedisAccountStore } from './redis-account-store.ts';
export { SigningKeyRing } from './signing-key-ring.ts';
export { accountApiOpenApi } from './account-api-openapi.ts';
