import { SpanStatusCode, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';

/**
 * Runs `work` inside a new active span (a child of `parent`, the active context by default) and
 * ends it when the work settles; a thrown error is recorded on the span and rethrown. Only called
 * when tracing is on: callers check `tracingIsOn()` first.
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent?: Context,
): Promise<T> {
  const run = async (span: Span): Promise<T> => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
  return parent === undefined
    ? tracer.startActiveSpan(name, options, run)
    : tracer.startActiveSpan(name, options, parent, run);
}

/** Records `error` on `span` and marks it failed, with the error's type as `error.type`. */
export function markFailed(span: Span, error: unknown, type?: string): void {
  if (error instanceof Error) span.recordException(error);
  span.setAttribute('error.type', type ?? (error instanceof Error ? error.name : 'unknown'));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    ...(error instanceof Error ? { message: error.message } : {}),
  });
}
