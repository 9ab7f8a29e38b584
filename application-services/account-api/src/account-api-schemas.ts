import { identityContract, UserView } from '@strata/identity/contract';
import { z } from '@strata/shared-kernel';
import { REFRESH_TOKEN } from './session-tokens.ts';

const User = identityContract.aggregates.User;

// Taken from the identity contract, so the API accepts exactly what identity-service will, and
// a refusal names the field as the caller sent it.
export const RegisterBody = User.creations.register.input;

export const LoginBody = z.object({
  email: User.queries.findByEmail.input.shape.email,
  password: User.queries.authenticate.input.shape.password,
});

export const RefreshTokenBody = z.object({
  refreshToken: z.string().regex(REFRESH_TOKEN, 'not a refresh token issued by account-api'),
});

export const TokenPairView = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  refreshToken: z.string().describe('single use: each refresh answers a new one'),
});

export const JwksView = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      kid: z.string(),
      alg: z.string(),
      use: z.string(),
    }),
  ),
});

export { UserView };
export type RegisterBody = z.output<typeof RegisterBody>;
export type LoginBody = z.output<typeof LoginBody>;
export type RefreshTokenBody = z.output<typeof RefreshTokenBody>;
