import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A collector that takes every OTLP/HTTP export and keeps nothing: the observed rows' processes
 * serialize and send their spans for real (the exporter's protobuf encoding and HTTP request are
 * part of tracing's cost), and nothing downstream of the wire is measured. It runs outside the
 * measured processes, as a collector runs outside a service: bench:rpc's in its own process
 * (unref'd, so it never keeps the bench alive), bench:gateway's in a child process.
 */
export interface OtlpSink {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT (spans go to `<url>/v1/traces`). */
  readonly url: string;
  /** Export requests and body bytes received so far: proof the rows really exported. */
  readonly received: { requests: number; bytes: number };
  /**
   * Each called with every export's whole body, for a bench that reads the spans themselves
   * (sampling-phases.ts counts them); with none, bodies are only counted.
   */
  readonly readers: Set<(body: Buffer) => void>;
}

let sink: Promise<OtlpSink> | undefined;

/** The one sink of this bench process, started on first use. */
export function otlpSink(): Promise<OtlpSink> {
  sink ??= startOtlpSink();
  return sink;
}

/**
 * A sink of its own. `GET /received` answers the counts as JSON, for a bench whose own process
 * cannot be the sink (bench:gateway blocks its event loop while wrk runs, so it starts one in a
 * child process: otlp-sink-process.ts).
 */
export async function startOtlpSink(): Promise<OtlpSink & { close(): void }> {
  const received = { requests: 0, bytes: 0 };
  const readers = new Set<(body: Buffer) => void>();
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/received') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(received));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      received.bytes += chunk.length;
      if (readers.size > 0) chunks.push(chunk);
    });
    request.on('end', () => {
      received.requests += 1;
      if (readers.size > 0) {
        const body = Buffer.concat(chunks);
        for (const read of readers) read(body);
      }
      // An empty ExportTraceServiceResponse is zero bytes of protobuf: everything accepted.
      response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, readers, close: () => server.close() };
}
