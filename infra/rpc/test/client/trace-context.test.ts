import { describe, expect, it } from '@jest/globals';
import { parseTraceContext } from '../../src/client/trace-context.ts';

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('parseTraceContext', () => {
  it('keeps a W3C traceparent and its tracestate, joining several tracestate lines into one list', () => {
    expect(parseTraceContext(valid, ['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'])).toEqual({
      traceparent: valid,
      tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    });
    expect(parseTraceContext(valid, undefined)).toEqual({ traceparent: valid });
  });

  it.each([
    ['absent', undefined],
    ['not hex', '00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version 00 with more fields', `${valid}-extra`],
    ['a line break', `${valid}\n`],
  ])('ignores a traceparent that is %s, and its tracestate with it', (_name, traceparent) => {
    expect(parseTraceContext(traceparent, 'rojo=1')).toBeUndefined();
  });

  it('accepts a later version with more fields, as the spec asks', () => {
    const future = 'cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next';
    expect(parseTraceContext(future, undefined)).toEqual({ traceparent: future });
  });

  it('drops a tracestate that could break a log line or is too long, keeping the traceparent', () => {
    expect(parseTraceContext(valid, 'rojo=1\r\nx-admin: yes')).toEqual({ traceparent: valid });
    expect(parseTraceContext(valid, `rojo=${'a'.repeat(600)}`)).toEqual({ traceparent: valid });
  });
});
