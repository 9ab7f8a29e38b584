/**
 * V8 flags every data service process starts with; scripts/service-entrypoint.sh (the container
 * image) passes the same. A pod gets one CPU (infra/k8s container limits), so V8's helper threads
 * for parallel scavenges and concurrent marking share that one CPU with the event loop and buy no
 * wall time. On bench:rpc they were most of what tracing at one in ten cost the served process: the
 * export batch keeps ~1 KB per recorded span alive past scavenges, V8 grows the young generation 4×
 * in answer, and the helper threads' work grows with it. Gateways and HTTP services keep V8's
 * default: on bench:gateway the flag raised p99 (ADR 0053).
 */
export const DATA_SERVICE_V8_FLAGS: readonly string[] = ['--single-threaded-gc'];
