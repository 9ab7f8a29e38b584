export {
  createIdentityService,
  IDENTITY_SERVICE,
  identityMapping,
  type IdentityService,
  type IdentityServiceOptions,
} from './create-identity-service.ts';
export {
  ScryptPasswordHasher,
  DEFAULT_SCRYPT_PARAMETERS,
  type ScryptParameters,
} from './scrypt-password-hasher.ts';
