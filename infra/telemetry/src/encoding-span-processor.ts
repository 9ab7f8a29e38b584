import { context, diag, TraceFlags } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, type ISerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { NO_ROOM, OTHER_RESOURCE, SpanBatch } from './span-batch.ts';

/** Finished spans already encoded: one OTLP/protobuf ExportTraceServiceRequest and how many spans it holds. */
interface EncodedSpans {
  request: Uint8Array;
  spans: number;
}

export interface EncodingSpanProcessorOptions {
  /** The collector's traces endpoint (`…/v1/traces`). */
  url: string;
  /** Milliseconds a finished span may wait for others before its batch is sent. */
  scheduledDelayMillis: number;
  /** A batch is sent as soon as it holds this many spans (the SDK's default, 512). */
  maxExportBatchSize?: number;
  /** Encoded spans kept while exports are in flight or refused; later ones are dropped (counted). */
  maxQueueBytes?: number;
}

/** Encoded bytes a batch may reach before it is sent, whatever its span count (one span may pass it). */
const BATCH_BYTES = 512 * 1024;

/**
 * The OTLP/protobuf span pipeline (ADR 0055): a sampled span is encoded into OTLP's wire format
 * the moment it ends, byte for byte as OpenTelemetry's own serializer writes it (ADR 0079), into
 * the batch's buffers (span-batch.ts, ADR 0086); only its bytes wait for the batch.
 * The SDK's BatchSpanProcessor keeps the span objects themselves (~1.1 KB of heap each) until the
 * batch is serialized; kept for a few thousand calls they outlive young-generation collections
 * and made a one-in-ten traced data service collect garbage far more (ADR 0053). Bytes in reused
 * buffers cost the collector nothing. Encoded as it ends, a span is read while it is still in the
 * CPU's caches, and nothing holds it afterwards. The batch is sent through OpenTelemetry's
 * OTLP/HTTP transport (its retries, timeout, headers and compression from the
 * OTEL_EXPORTER_OTLP_* variables).
 */
export class EncodingSpanProcessor implements SpanProcessor {
  readonly #batch = new SpanBatch();
  readonly #exporter: OTLPExporterBase<EncodedSpans>;
  readonly #delayMs: number;
  readonly #maxSpans: number;
  readonly #maxQueueBytes: number;
  readonly #inFlight = new Set<Promise<void>>();
  #inFlightBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;
  #nextDropReport = 1;
  #shutDown = false;

  constructor(options: EncodingSpanProcessorOptions) {
    this.#delayMs = options.scheduledDelayMillis;
    this.#maxSpans = options.maxExportBatchSize ?? 512;
    this.#maxQueueBytes = options.maxQueueBytes ?? 8 * BATCH_BYTES;
    this.#exporter = new OTLPExporterBase(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions({ url: options.url }, 'TRACES', 'v1/traces', {
          'Content-Type': 'application/x-protobuf',
        }),
        encodedSpansSerializer,
        'otlp_http_span_exporter',
        { name: 'span', countItems: (batch: EncodedSpans) => batch.spans },
        undefined,
      ),
    );
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#shutDown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    let added = this.#batch.add(span, this.#room());
    if (added === OTHER_RESOURCE) {
      // A second TracerProvider's span: a request holds one resource here, so the batch goes first.
      this.#send();
      added = this.#batch.add(span, this.#room());
    }
    if (added === NO_ROOM) return this.#drop();
    if (this.#batch.spans >= this.#maxSpans || this.#batch.bytes >= BATCH_BYTES) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), this.#delayMs).unref();
  }

  /** Bytes a span may still take: what is in flight and waiting stays under maxQueueBytes. */
  #room(): number {
    return this.#maxQueueBytes - this.#inFlightBytes - this.#batch.bytes;
  }

  async forceFlush(): Promise<void> {
    this.#send();
    await Promise.all(this.#inFlight);
  }

  async shutdown(): Promise<void> {
    if (this.#shutDown) return;
    await this.forceFlush();
    this.#shutDown = true;
    await this.#exporter.shutdown();
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch.take();
    if (batch === undefined) return;
    this.#inFlightBytes += batch.request.length;
    // The export's own HTTP request must not become a span of the trace that filled the batch.
    const sent = new Promise<void>((resolve) => {
      context.with(suppressTracing(context.active()), () =>
        this.#exporter.export(batch, (result) => {
          if (result.code !== ExportResultCode.SUCCESS) this.#reportFailure(batch, result);
          resolve();
        }),
      );
    }).finally(() => {
      this.#inFlightBytes -= batch.request.length;
      this.#inFlight.delete(sent);
    });
    this.#inFlight.add(sent);
  }

  #reportFailure(batch: EncodedSpans, result: ExportResult): void {
    diag.error(`OTLP export of ${batch.spans} spans failed: ${result.error?.message ?? 'no reason given'}`);
  }

  #drop(): void {
    this.#dropped += 1;
    // Counted, and said at the 1st, 10th, 100th… so a collector that is down does not flood the log.
    if (this.#dropped < this.#nextDropReport) return;
    this.#nextDropReport *= 10;
    diag.warn(`${this.#dropped} spans dropped: the collector is not taking exports as fast as spans end`);
  }
}

const encodedSpansSerializer: ISerializer<
  EncodedSpans,
  ReturnType<typeof ProtobufTraceSerializer.deserializeResponse>
> = {
  serializeRequest: (batch) => batch.request,
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};
