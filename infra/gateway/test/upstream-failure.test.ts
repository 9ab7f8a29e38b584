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
    ['an Expect header undici will not send', new errors.NotSupportedError('expect header not supported')],
    ['an argument undici refuses', new errors.InvalidArgumentError('invalid header')],
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
    ['an oversized response head', new errors.HeadersOverflowError(), false],
    ['a response shorter than its Content-Length', new errors.ResponseContentLengthMismatchError(), false],
  ])('%s is the upstream’s fault', (_case, error, conclusive) => {
    const failure = judge(error);
    expect(failure).toMatchObject({ blame: 'upstream', retryable: true, conclusive });
    expect(failure.problem.status).toBe(503);
  });

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
