import type { PipeTransform } from '@nestjs/common';
import { issuesOf, RpcError } from '@strata/shared-kernel';
import type { z } from 'zod';

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
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = issuesOf(parsed.error).map((issue) => ({ ...issue, path: [this.part, ...issue.path] }));
    const summary = issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new RpcError('INVALID_ARGUMENT', `the request ${this.part} is invalid: ${summary}`, { issues });
  }
}
