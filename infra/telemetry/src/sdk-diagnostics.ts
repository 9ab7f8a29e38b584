import { diag, DiagLogLevel } from '@opentelemetry/api';

/**
 * Where the OpenTelemetry SDK's own warnings and errors go. With no logger set the API drops them,
 * and with them the two things an operator must hear about tracing: an exporter that cannot reach
 * its collector, and spans dropped because the collector is slower than they end (ADR 0055). Each
 * is one JSON line, in the fields of Strata's logs (pino's `level`, `time`, `msg`) and named
 * `opentelemetry`, on stderr: the SDK's voice, beside the process's own log on stdout.
 */
export function reportSdkDiagnostics(
  write: (line: string) => void = (line) => process.stderr.write(line),
): void {
  const at =
    (level: number) =>
    (message: string, ...args: unknown[]): void =>
      write(
        `${JSON.stringify({ level, time: Date.now(), name: 'opentelemetry', msg: [message, ...args.map(String)].join(' ') })}\n`,
      );
  const ignored = (): void => {};
  diag.setLogger(
    { error: at(50), warn: at(40), info: ignored, debug: ignored, verbose: ignored },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}
