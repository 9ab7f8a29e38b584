import 'reflect-metadata';
import { catalogContract } from '@strata/catalog/contract';
import { JwtAccessTokenVerifier, remoteJwks, runApplicationService } from '@strata/runtime';
import { createStudioApi } from './create-studio-api.ts';
import { studioApiConfig } from './studio-api-config.ts';

// `node --import @swc-node/register/esm-register application-services/studio-api/src/main.ts`:
// studio-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001), with
// commerce-service behind it and access tokens verified against account-api's JWKS.
await runApplicationService(
  {
    name: 'studio-api',
    config: studioApiConfig,
    dataServices: {
      commerce: {
        service: 'commerce-service',
        contracts: [catalogContract],
        staticAddress: 'STRATA_COMMERCE_ADDRESS',
      },
    },
    create: ({ config, logger, dataServices, healthChecks }) =>
      createStudioApi({
        commerce: dataServices.commerce,
        accessTokens: new JwtAccessTokenVerifier({
          keys: remoteJwks(config.STRATA_JWKS_URL),
          issuer: config.STRATA_TOKEN_ISSUER,
          audience: config.STRATA_TOKEN_AUDIENCE,
        }),
        logger,
        bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
        healthChecks,
      }),
  },
  process.env,
);
