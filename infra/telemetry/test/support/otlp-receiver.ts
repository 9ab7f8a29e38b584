import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import type { OtlpAttribute, OtlpRequest, OtlpValue } from './otlp-json.ts';
import { decodeTraceRequest } from './otlp-protobuf.ts';

/** One span as a collector receives it over OTLP/JSON, flattened with its process's service name. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, string | number | boolean | string[]>;
  links: { traceId: string; spanId: string; attributes: Record<string, string | number | boolean> }[];
  events: { name: string; attributes: Record<string, string | number | boolean | string[]> }[];
}

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
const KINDS: Record<number, SpanKind> = {
  1: 'internal',
  2: 'server',
  3: 'client',
  4: 'producer',
  5: 'consumer',
};

function valueOf(value: OtlpValue): string | number | boolean | string[] {
  if (value.arrayValue !== undefined)
    return (value.arrayValue.values ?? []).map((item) => String(valueOf(item)));
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue ?? '';
}

function attributesOf(
  attributes: OtlpAttribute[] | undefined,
): Record<string, string | number | boolean | string[]> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

/**
 * A collector's OTLP/HTTP traces endpoint, in the test: what the processes export (protobuf, the
 * default, or JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json) is decoded into `spans`. Anything
 * else it serves on other paths comes from `extra` (the test's JWKS).
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly #server: Server;
  readonly #extra: Record<string, unknown>;

  private constructor(extra: Record<string, unknown>) {
    this.#extra = extra;
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/v1/traces') {
          const body = Buffer.concat(chunks);
          if (request.headers['content-type'] === 'application/x-protobuf') {
            this.#receive(decodeTraceRequest(body));
            // An empty ExportTraceServiceResponse: every span accepted.
            response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
          } else {
            this.#receive(JSON.parse(body.toString('utf8')) as OtlpRequest);
            response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          }
        } else if (request.url !== undefined && request.url in this.#extra) {
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(this.#extra[request.url]));
        } else {
          response.writeHead(404).end();
        }
      });
    });
  }

  static async start(extra: Record<string, unknown> = {}): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver(extra);
    await new Promise<void>((done) => receiver.#server.listen(0, '127.0.0.1', done));
    return receiver;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Waits until `found` holds of the spans received (processes export in batches), or fails after `timeoutMs`. */
  async waitFor(what: string, found: (spans: ReceivedSpan[]) => boolean, timeoutMs = 20_000): Promise<void> {
    await waitFor(what, () => found(this.spans), {
      timeoutMs,
      everyMs: 100,
      detail: () =>
        `spans received:\n  ${this.spans.map((span) => `${span.service} ${span.kind} ${span.name}`).join('\n  ')}`,
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((done) => this.#server.close(() => done()));
  }

  #receive(request: OtlpRequest): void {
    for (const { resource, scopeSpans } of request.resourceSpans) {
      const service = String(attributesOf(resource.attributes)['service.name']);
      for (const { scope, spans } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            service,
            scope: scope.name,
            name: span.name,
            kind: KINDS[span.kind] ?? 'internal',
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map((link) => ({
              traceId: link.traceId,
              spanId: link.spanId,
              attributes: attributesOf(link.attributes) as Record<string, string | number | boolean>,
            })),
            events: (span.events ?? []).map((event) => ({
              name: event.name,
              attributes: attributesOf(event.attributes),
            })),
          });
        }
      }
    }
  }
}
