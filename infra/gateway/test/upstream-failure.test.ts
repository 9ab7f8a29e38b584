import { describe, expect, it } from '@jest/globals';
import { errors } from 'undici';
import { judgeAttemptFailure } from '../src/upstream-failure.ts';

function judge(error: Error) {
  return judgeAttemptFailure(error as NodeJS.ErrnoException, 'echo-api', 'e1');
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

describe('a failed proxy attempt is blamed on whoever caused it', () => {
  it.each([
    ['a header the upstream client refuses', new errors.InvalidArgumentError('invalid header')],
    ['a body shorter than its Content-Length', new errors.RequestContentLengthMismatchError()],
  ])('%s is the client’s fault: 400, not counted, not retried', (_case, error) => {
    const failure = judge(error);
    expect(failure).toMatchObject({ blame: 'client', retryable: false, conclusive: false });
    expect(failure.problem.status).toBe(400);
  });

  it.each([
    ['a refused connection', errno('ECONNREFUSED'), true],
    ['a reset connection', errno('ECONNRESET'), true],
    ['a socket closed by the upstream', new errors.SocketError('other side closed'), true],
    ['an unreachable network', errno('ENETUNREACH'), false],
  ])('%s is the upstream’s fault, unavailable: 503', (_case, error, conclusive) => {
    const failure = judge(error);
    expect(failure).toMatchObject({ blame: 'upstream', retryable: true, conclusive });
    expect(failure.problem.status).toBe(503);
    expect(failure.problem.type).toMatch(/upstream-unavailable$/);
  });

  it.each([
    ['an oversized response head', new errors.HeadersOverflowError()],
    ['two Content-Lengths', errno('HPE_INVALID_CONTENT_LENGTH')],
    ['a malformed status line', errno('HPE_INVALID_STATUS')],
  ])(
    '%s is the upstream’s fault, an invalid response: 502, retried only where a retry is safe',
    (_case, error) => {
      const failure = judge(error);
      expect(failure).toMatchObject({
        blame: 'upstream',
        retryable: true,
        conclusive: false,
        neverSent: false,
      });
      expect(failure.problem.status).toBe(502);
      expect(failure.problem.type).toMatch(/upstream-invalid-response$/);
    },
  );

  it.each([
    ['no response head in time', new errors.HeadersTimeoutError()],
    ['a stalled body', new errors.BodyTimeoutError()],
    ['no connection in time', new errors.ConnectTimeoutError()],
  ])('%s is an upstream timeout: 504', (_case, error) => {
    const failure = judge(error);
    expect(failure).toMatchObject({ blame: 'upstream', timedOut: true });
    expect(failure.problem.status).toBe(504);
  });

  it('an error of unknown origin is the gateway’s own: 502 and never counted against the upstream', () => {
    const failure = judge(new TypeError('something unexpected'));
    expect(failure).toMatchObject({ blame: 'gateway', retryable: false });
    expect(failure.problem.status).toBe(502);
  });

  it('only refused connections count as never sent, so only they move a POST elsewhere', () => {
    expect(judge(errno('ECONNREFUSED')).neverSent).toBe(true);
    expect(judge(errno('ECONNRESET')).neverSent).toBe(false);
  });
});
