import { afterEach, describe, expect, it } from '@jest/globals';
import { diag } from '@opentelemetry/api';
import { reportSdkDiagnostics } from '../src/sdk-diagnostics.ts';

describe('reportSdkDiagnostics', () => {
  afterEach(() => diag.disable());

  it("writes the SDK's warnings and errors as JSON lines in the log's fields, and nothing quieter", () => {
    const lines: string[] = [];
    reportSdkDiagnostics((line) => lines.push(line));
    diag.info('exporter started');
    diag.debug('a span ended');
    diag.warn('10 spans dropped');
    diag.error('OTLP export failed:', new Error('connect ECONNREFUSED 127.0.0.1:4318'));

    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { level: 40, time: expect.any(Number), name: 'opentelemetry', msg: '10 spans dropped' },
      {
        level: 50,
        time: expect.any(Number),
        name: 'opentelemetry',
        msg: 'OTLP export failed: Error: connect ECONNREFUSED 127.0.0.1:4318',
      },
    ]);
  });
});
