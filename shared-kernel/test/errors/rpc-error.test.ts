import { describe, expect, it } from '@jest/globals';
import {
  DomainError,
  ERROR_CODES,
  RpcError,
  fromDomainError,
  isRpcError,
  toRpcError,
  z,
} from '@strata/shared-kernel';

describe('a typed error', () => {
  it('crosses the wire intact, through JSON and back', () => {
    const sent = new RpcError('RULE_VIOLATION', 'a course without lessons cannot be published', {
      reason: 'course-without-lessons-cannot-be-published',
      details: { courseId: 'c-1' },
      issues: [{ path: ['input', 'lessons', 0], message: 'Required', code: 'invalid_type' }],
    });
    const received = RpcError.fromSerialized(JSON.parse(JSON.stringify(sent)));
    expect(received).toBeInstanceOf(RpcError);
    expect(received.toJSON()).toEqual(sent.toJSON());
    expect(received.message).toBe(sent.message);
  });

  it('keeps every platform code across the wire', () => {
    for (const code of ERROR_CODES) {
      expect(RpcError.fromSerialized(new RpcError(code, 'm').toJSON()).code).toBe(code);
    }
  });

  it('leaves absent parts out of the wire shape', () => {
    expect(new RpcError('NOT_FOUND', 'no course c-1').toJSON()).toEqual({
      code: 'NOT_FOUND',
      message: 'no course c-1',
    });
  });

  it('turns a malformed or unknown remote error into INTERNAL, keeping what arrived', () => {
    const malformed = RpcError.fromSerialized({ message: 42 });
    expect(malformed.code).toBe('INTERNAL');
    expect(malformed.details).toEqual({ received: { message: 42 } });
    const unknown = RpcError.fromSerialized({ code: 'TEAPOT', message: 'short and stout' });
    expect(unknown.code).toBe('INTERNAL');
    expect(unknown.message).toContain('TEAPOT');
    expect(unknown.details).toEqual({ receivedCode: 'TEAPOT' });
  });
});

describe('mapping thrown values to typed errors', () => {
  it('gives a domain error its category as code and its stable code as reason', () => {
    const refusal = DomainError.conflict('course-title-taken', 'another course has this title', {
      title: 'TS',
    });
    const mapped = fromDomainError(refusal);
    expect(mapped.toJSON()).toEqual({
      code: 'CONFLICT',
      message: 'another course has this title',
      reason: 'course-title-taken',
      details: { title: 'TS' },
    });
    expect(toRpcError(new DomainError('course-without-lessons-cannot-be-published', 'no lessons')).code).toBe(
      'RULE_VIOLATION',
    );
  });

  it('turns a zod error into INVALID_ARGUMENT with every refused field by path', () => {
    const result = z
      .object({ title: z.string().min(3), lessons: z.array(z.object({ title: z.string() })) })
      .safeParse({
        title: 'a',
        lessons: [{ title: 1 }],
      });
    const mapped = toRpcError(result.error);
    expect(mapped.code).toBe('INVALID_ARGUMENT');
    expect(mapped.issues.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: ['title'], code: 'too_small' },
      { path: ['lessons', 0, 'title'], code: 'invalid_type' },
    ]);
    expect(mapped.message).toContain('title:');
    expect(mapped.message).toContain('lessons.0.title:');
  });

  it('hides the internals of anything else behind INTERNAL, keeping the cause for the log', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
    const mapped = toRpcError(bug);
    expect(mapped.code).toBe('INTERNAL');
    expect(JSON.stringify(mapped.toJSON())).not.toContain('secretColumn');
    expect(mapped.cause).toBe(bug);
  });

  it('passes a typed error through unchanged', () => {
    const error = new RpcError('UNAVAILABLE', 'no instance of catalog-service is up');
    expect(toRpcError(error)).toBe(error);
    expect(isRpcError(error)).toBe(true);
    expect(isRpcError(new Error('x'))).toBe(false);
  });
});
