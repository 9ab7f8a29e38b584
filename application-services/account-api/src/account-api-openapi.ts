import { openApiDocument } from '@strata/runtime';
import {
  JwksView,
  LoginBody,
  RefreshTokenBody,
  RegisterBody,
  TokenPairView,
  UserView,
} from './account-api-schemas.ts';

export function accountApiOpenApi(): Record<string, unknown> {
  return openApiDocument({
    title: 'Strata account-api',
    version: '0.1.0',
    description:
      "Registration, login with short-lived access tokens (EdDSA JWT) and rotating refresh tokens, and the caller's profile. Errors are RFC 9457 problem+json.",
    routes: [
      {
        method: 'post',
        path: '/auth/register',
        summary: 'Register a user account',
        body: RegisterBody,
        responses: { 201: { description: 'the registered user', schema: UserView } },
      },
      {
        method: 'post',
        path: '/auth/login',
        summary:
          'Log in with email and password; refused for a while after repeated failures (429 with Retry-After)',
        body: LoginBody,
        responses: { 200: { description: 'an access token and a refresh token', schema: TokenPairView } },
      },
      {
        method: 'post',
        path: '/auth/refresh',
        summary: 'Trade a refresh token for a new pair; a spent refresh token revokes its whole login',
        body: RefreshTokenBody,
        responses: {
          200: { description: 'a new access token and the next refresh token', schema: TokenPairView },
        },
      },
      {
        method: 'post',
        path: '/auth/logout',
        summary: 'End the login the refresh token belongs to',
        body: RefreshTokenBody,
        responses: { 204: { description: 'the login is ended' } },
      },
      {
        method: 'get',
        path: '/me',
        summary: 'The calling user',
        authenticated: true,
        responses: { 200: { description: 'the calling user', schema: UserView } },
      },
      {
        method: 'get',
        path: '/.well-known/jwks.json',
        summary:
          'The public keys access tokens are signed with (the current one and those whose tokens may still be live)',
        responses: { 200: { description: 'a JSON Web Key Set', schema: JwksView } },
      },
    ],
  });
}
