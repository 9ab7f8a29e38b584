import { describe, expect, it } from '@jest/globals';
import { plainText, RpcError, z } from '@strata/shared-kernel';
import { ZodValidationPipe } from '../src/index.ts';

const ID = '0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
// Compiled (ADR 0034): an id and a trimmed text, the shape of most routes' params and bodies.
const Draft = z.object({
  courseId: z.uuid(),
  title: plainText({ minLength: 3, maxLength: 20, multiline: false }),
});

function refusal(pipe: ZodValidationPipe<z.ZodType>, value: unknown): RpcError {
  try {
    pipe.transform(value);
  } catch (error) {
    return error as RpcError;
  }
  throw new Error('the pipe accepted the value');
}

describe('ZodValidationPipe', () => {
  it('hands the handler what zod would: the text trimmed, unknown keys gone, a value of its own', () => {
    const pipe = new ZodValidationPipe(Draft, 'body');
    const body = { courseId: ID, title: '  Modelling  ', admin: true };
    const accepted = pipe.transform(body);
    expect(accepted).toStrictEqual(Draft.parse(body));
    expect(accepted).toStrictEqual({ courseId: ID, title: 'Modelling' });
    expect(accepted).not.toBe(body);
  });

  it('refuses with zod’s issues, each path under the part of the request', () => {
    const pipe = new ZodValidationPipe(Draft, 'params');
    const value = { courseId: 'nope', title: ' ab ' };
    const error = refusal(pipe, value);
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('INVALID_ARGUMENT');
    const zods = Draft.safeParse(value).error!.issues;
    expect(error.issues).toEqual(
      zods.map((issue) =>
        expect.objectContaining({ path: ['params', ...issue.path], message: issue.message }),
      ),
    );
    expect(error.message).toContain('params.courseId');
    expect(error.message).toContain('params.title');
  });
});
