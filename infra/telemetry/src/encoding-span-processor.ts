import { context, diag, TraceFlags } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, type ISerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { encodeSpans } from './otlp-span-encoder.ts';
import { ScopeSpansFraming } from './scope-spans-framing.ts';

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

/** Encoded bytes a batch may reach before it is sent, whatever its span count. */
const BATCH_BYTES = 512 * 1024;
/*
 * Ended spans are encoded in groups (otlp-span-encoder.ts): a request has a fixed part (the
 * grouping, the resource's and the scope's bytes) besides its spans. A group waits at most a few
 * milliseconds, so its span objects die young, as ADR 0055 wants; only bytes wait for the batch.
 */
const GROUP_SPANS = 32;
const GROUP_DELAY_MS = 5;

/**
 * The OTLP/protobuf span pipeline (ADR 0055): sampled spans are encoded into OTLP's wire format
 * within milliseconds of ending, a small group at a time, byte for byte as OpenTelemetry's own
 * serializer writes them (ADR 0079), and only their bytes wait for the batch.
 * The SDK's BatchSpanProcessor keeps the span objects themselves (~1.1 KB of heap each) until the
 * batch is serialized; kept for a few thousand calls they outlive young-generation collections
 * and made a one-in-ten traced data service collect garbage far more (ADR 0053). Bytes in one
 * reused buffer cost the collector nothing. The batch is sent through OpenTelemetry's OTLP/HTTP
 * transport (its retries, timeout, headers and compression from the OTEL_EXPORTER_OTLP_* variables).
 */
export class EncodingSpanProcessor implements SpanProcessor {
  readonly #framing = new ScopeSpansFraming(BATCH_BYTES);
  readonly #exporter: OTLPExporterBase<EncodedSpans>;
  readonly #delayMs: number;
  readonly #maxSpans: number;
  readonly #maxQueueBytes: number;
  readonly #ended: ReadableSpan[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #inFlightBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #groupTimer: NodeJS.Timeout | undefined;
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
    this.#ended.push(span);
    // A group never crosses a batch's span count, so batches stay exactly maxExportBatchSize.
    const room = Math.min(GROUP_SPANS, this.#maxSpans - this.#framing.spans);
    if (this.#ended.length >= room) this.#encode();
    else this.#groupTimer ??= setTimeout(() => this.#encode(), GROUP_DELAY_MS).unref();
  }

  #encode(): void {
    clearTimeout(this.#groupTimer);
    this.#groupTimer = undefined;
    if (this.#ended.length === 0) return;
    const spans = this.#ended.splice(0);
    const waiting = this.#inFlightBytes + this.#framing.bytes;
    const request = waiting < this.#maxQueueBytes ? encodeSpans(spans) : undefined;
    if (request === undefined || waiting + request.length > this.#maxQueueBytes) {
      for (let index = 0; index < spans.length; index += 1) this.#drop();
      return;
    }
    // `request` is the encoder's own buffer until the next encoding: `#send` ends no span (its
    // export runs with tracing suppressed), so nothing encodes over it before `add` copies it.
    if (!this.#framing.fits(request)) this.#send();
    this.#framing.add(request, spans.length);
    if (this.#framing.spans >= this.#maxSpans) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), this.#delayMs).unref();
  }

  async forceFlush(): Promise<void> {
    this.#encode();
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
    const batch = this.#framing.take();
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
