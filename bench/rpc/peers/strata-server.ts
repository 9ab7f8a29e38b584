import { systemClock } from '@strata/shared-kernel';
import {
  devTlsMaterial,
  ensureDevCertificates,
  implementContract,
  listenTcp,
  tracedHandler,
  type RpcHandler,
  type RuntimeLogger,
} from '@strata/rpc';
import { courseDraftSchema, makeCourseDraft } from '../payload.ts';
import { announceReady, assignedPort } from '../server-process.ts';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.ts';
import { BENCH_SERVICE, BenchCourse, benchContract } from './strata-contract.ts';
import { BENCH_CLIENT, certificatesDir, strataLayers } from './strata-setup.ts';

const logger: RuntimeLogger = {
  error: (fields, message) => console.error(message, fields),
  warn: (fields, message) => console.error(message, fields),
};

/** The whole server path: the contract runtime over an aggregate. */
function contractHandler(): RpcHandler {
  const unitOfWork = new InMemoryUnitOfWork();
  unitOfWork.seed(new BenchCourse(makeCourseDraft()));
  return implementContract(
    benchContract,
    {
      Course: {
        aggregateType: 'Course',
        toView: (course: BenchCourse) => course.draft,
        commands: { revise: (course: BenchCourse, draft) => course.revise(draft) },
      },
    },
    { unitOfWork, clock: systemClock, logger },
  );
}

/** Only what the other peers' handlers do (validate, answer), so the transport's share of the cost shows. */
const validatingEcho: RpcHandler = async (request) => {
  const parsed = courseDraftSchema.safeParse(request.payload);
  return parsed.success
    ? { ok: true, result: parsed.data }
    : { ok: false, error: { code: 'INVALID_ARGUMENT', message: parsed.error.message } };
};

const tlsDir = certificatesDir();
const tls =
  tlsDir === undefined
    ? (false as const)
    : {
        ...(await devTlsMaterial(
          await ensureDevCertificates({ dir: tlsDir, services: [BENCH_SERVICE, BENCH_CLIENT] }),
          BENCH_SERVICE,
        )),
        allowedCallers: [BENCH_CLIENT],
      };

// As a data service serves it: with tracing on (the preload, ADR 0025) each call is a server span,
// and with BENCH_METRICS=on (the observed rows) the call is timed as serve-data-service times it.
const traced = tracedHandler(strataLayers() === 'full' ? contractHandler() : validatingEcho);
// Loaded only then: the other rows' servers stay as small as they were.
const metered = async (): Promise<RpcHandler> => {
  const { meterRpcHandler, processMetrics } = await import('@strata/runtime/plain-process');
  return meterRpcHandler(traced, processMetrics());
};
const handler = process.env['BENCH_METRICS'] === 'on' ? await metered() : traced;
const listener = await listenTcp({ handler, host: '127.0.0.1', port: assignedPort(), tls, logger });
announceReady(async () => {
  await listener.drain(1_000);
  // Traced (the preload started the SDK): the spans still waiting for their batch go to the sink
  // before the process exits, so bench:rpc counts every sampled call of the row (sampled-in-window.ts).
  if (process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] !== undefined) await flushSpans();
});

async function flushSpans(): Promise<void> {
  const { trace } = await import('@opentelemetry/api');
  const proxy = trace.getTracerProvider() as { getDelegate?(): { forceFlush?(): Promise<void> } };
  await proxy.getDelegate?.().forceFlush?.();
}
