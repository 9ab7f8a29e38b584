import type { PipeTransform } from '@nestjs/common';
import { safeParsePrecompiled } from '@strata/rpc';
import { issuesOf, RpcError, type z } from '@strata/shared-kernel';

export type RequestPart = 'body' | 'query' | 'params';

/**
 * Validates one part of a request against a zod schema: `@Body(new ZodValidationPipe(Schema, 'body'))`.
 * A refusal is INVALID_ARGUMENT with each field's path prefixed by the part (`body.email`), so
 * the caller sees which field to fix; bad input never reaches a handler, so it never becomes a 500.
 */
export class ZodValidationPipe<TSchema extends z.ZodType> implements PipeTransform<
  unknown,
  z.output<TSchema>
> {
  /** Public so a test can read what a route accepts (the query keys it reads) from the route itself. */
  readonly schema: TSchema;
  readonly part: RequestPart;

  constructor(schema: TSchema, part: RequestPart) {
    this.schema = schema;
    this.part = part;
  }

  transform(value: unknown): z.output<TSchema> {
    // Every request runs its pipes (a course page's id on each hit and miss): the compiled check
    // answers what zod would, and a value it does not accept is zod's to refuse, with zod's issues.
    const parsed = safeParsePrecompiled(this.schema, value);
    if (parsed.success) return parsed.data;
    const issues = issuesOf(parsed.error).map((issue) => ({ ...issue, path: [this.part, ...issue.path] }));
    const summary = issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new RpcError('INVALID_ARGUMENT', `the request ${this.part} is invalid: ${summary}`, { issues });
  }
}
