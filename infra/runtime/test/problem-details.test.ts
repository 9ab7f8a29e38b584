import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES, RpcError } from '@strata/shared-kernel';
import { problemFromRpcError } from '../src/index.ts';

describe('problemFromRpcError', () => {
  it.each([
    ['INVALID_ARGUMENT', 400],
    ['UNAUTHENTICATED', 401],
    ['PERMISSION_DENIED', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['RULE_VIOLATION', 422],
    ['RATE_LIMITED', 429],
    ['INTERNAL', 500],
    ['UNIMPLEMENTED', 501],
    ['UNAVAILABLE', 503],
    ['DEADLINE_EXCEEDED', 504],
  ] as const)('maps %s to %i', (code, status) => {
    expect(problemFromRpcError(new RpcError(code, 'm')).problem.status).toBe(status);
  });

  it('covers every platform error code', () => {
    for (const code of ERROR_CODES) {
      expect(problemFromRpcError(new RpcError(code, 'm')).problem.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('lists the refused fields of INVALID_ARGUMENT by path', () => {
    const { problem } = problemFromRpcError(
      new RpcError('INVALID_ARGUMENT', 'bad', {
        issues: [
          { path: ['body', 'lessons', 2, 'title'], message: 'Too small', code: 'too_small' },
          { path: [], message: 'Expected object' },
        ],
      }),
    );
    expect(problem.errors).toEqual([
      { path: 'body.lessons.2.title', message: 'Too small', code: 'too_small' },
      { path: '(root)', message: 'Expected object' },
    ]);
  });

  it('carries the rule code of a RULE_VIOLATION as reason and in the type', () => {
    const { problem } = problemFromRpcError(
      new RpcError('RULE_VIOLATION', 'a course needs lessons to be published', {
        reason: 'course-without-lessons-cannot-be-published',
      }),
    );
    expect(problem).toEqual({
      type: 'https://strata.dev/problems/course-without-lessons-cannot-be-published',
      title: 'Business rule violated',
      status: 422,
      detail: 'a course needs lessons to be published',
      reason: 'course-without-lessons-cannot-be-published',
    });
  });

  it('tells nothing of an INTERNAL error but that the server logged it', () => {
    const { problem } = problemFromRpcError(
      new RpcError('INTERNAL', 'ER_NO_SUCH_TABLE: strata_identity.users at db-3.internal', {
        reason: 'x',
        details: { sql: 'select' },
      }),
    );
    expect(JSON.stringify(problem)).not.toMatch(/ER_NO_SUCH_TABLE|db-3|select|"x"/);
    expect(problem.detail).toContain('logged');
  });

  it('turns retryAfterMs into a Retry-After in whole seconds, rounded up', () => {
    const { headers } = problemFromRpcError(
      new RpcError('RATE_LIMITED', 'slow down', { details: { retryAfterMs: 1_200 } }),
    );
    expect(headers['retry-after']).toBe('2');
  });

  it('asks for a bearer token on 401', () => {
    expect(problemFromRpcError(new RpcError('UNAUTHENTICATED', 'no')).headers['www-authenticate']).toContain(
      'Bearer',
    );
  });
});
