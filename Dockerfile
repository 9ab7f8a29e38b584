# syntax=docker/dockerfile:1
# One image for every Strata service; the entrypoint starts one by name:
#   docker build -t ghcr.io/strata-platform/strata:0.1.0 .
#   docker run --rm ghcr.io/strata-platform/strata:0.1.0 identity-service migrate
# TypeScript runs from source (ADR 0001): no build step, only production dependencies.
# infra/k8s/test/image.test.ts repeats the install and the entrypoint without Docker.

# The package manifests alone, so the dependency layer is rebuilt only when they change.
FROM node:24-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete && find . -type d -empty -delete

# Production dependencies of the deployables only: the data and application services, infra (the
# gateway, the runtime, the Kubernetes wait), the payment simulator. Not the docs generator, the
# benchmarks or the end-to-end tests. No install scripts: native parts come as prebuilt packages.
FROM node:24-slim AS deps
WORKDIR /app
COPY --from=manifests /src ./
# image-install:
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace=data-services --workspace=application-services --workspace=infra --workspace=tools/payment-simulator

FROM deps AS app
COPY . .

# Not shipped: docker-compose.yml's one-shot maker of a development CA and service certificates
# (infra/rpc's dev-certificates, which drives the openssl CLI the runtime image does not carry).
FROM app AS dev-certificates
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["node", "infra/rpc/src/security/dev-certificates-cli.ts"]

FROM node:24-slim
ENV NODE_ENV=production STRATA_HOME=/app
# The user the Kubernetes manifests run as (runAsUser 10001); it owns nothing in /app, so the code
# is read-only to it even without a read-only root filesystem.
RUN groupadd --system --gid 10001 strata && useradd --system --uid 10001 --gid strata --no-create-home --shell /usr/sbin/nologin strata
WORKDIR /app
COPY --from=app /app /app
USER 10001:10001
# data services: RPC 7000, health 9000; HTTP services: 8080 (gateway admin 8081); link-redirect 8090.
EXPOSE 7000 8080 8081 8090 9000
ENTRYPOINT ["/app/scripts/service-entrypoint.sh"]
