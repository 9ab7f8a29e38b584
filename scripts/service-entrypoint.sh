#!/bin/sh
# The container image's entrypoint: starts one Strata service by name, as its own main.ts documents.
#   service-entrypoint.sh <data-service> [migrate]     e.g. identity-service, commerce-service migrate
#   service-entrypoint.sh <application-service>        e.g. learner-api (SWC compiles its decorators)
#   service-entrypoint.sh gateway | link-redirect | payment-simulator
#   service-entrypoint.sh await-job <job>              a data service pod's wait for its migration Job
# Services are found on disk, as `npm run start:distributed` finds them: a new one needs no edit here.
# `exec` leaves node the container's only process, so it receives SIGTERM itself and drains.
set -eu
cd "${STRATA_HOME:-$(dirname "$0")/..}"

usage() {
  services=$(ls -d data-services/*/src/main.ts application-services/*/src/main.ts 2>/dev/null | cut -d/ -f2 | tr '\n' ' ')
  echo "usage: service-entrypoint.sh <service> [args]; services: ${services}gateway link-redirect payment-simulator" >&2
  exit 2
}

name="${1:-}"
[ -n "$name" ] || usage
shift
case "$name" in
  *[!a-z0-9-]*) usage ;;
esac
# The tracing preload starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (ADR 0025).
node_flags="--import @strata/runtime/tracing"
export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-$name}"

if [ "$name" = await-job ]; then
  exec node infra/k8s/src/await-job.ts "$@"
elif [ -f "data-services/$name/src/main.ts" ]; then
  # A pod has one CPU, which V8's GC helper threads would share with the event loop (ADR 0053;
  # infra/runtime/src/data-service-v8-flags.ts holds the same list for the local launcher).
  exec node --single-threaded-gc $node_flags "data-services/$name/src/main.ts" "$@"
elif [ -f "application-services/$name/src/main.ts" ]; then
  # NestJS needs decorator metadata, which Node's type stripping cannot emit (ADR 0001).
  exec node $node_flags --import @strata/runtime/typescript "application-services/$name/src/main.ts" "$@"
fi
case "$name" in
  gateway) exec node $node_flags infra/gateway/src/main.ts "$@" ;;
  payment-simulator) exec node tools/payment-simulator/src/main.ts "$@" ;;
  link-redirect)
    # The short domain runs from the data service hosting links (ADR 0018).
    for script in data-services/*/src/redirect-main.ts; do
      [ -f "$script" ] && exec node $node_flags "$script" "$@"
    done
    ;;
esac
echo "service-entrypoint.sh: no service named $name" >&2
usage
