import { z } from 'zod';

/*
 * The wire shape of an error, kept identical to `SerializedError` in infra/rpc's protocol (the
 * kernel cannot import infra). A schema, because errors arrive from the network like any input.
 */

export const serializedIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string().optional(),
});

export const serializedErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  issues: z.array(serializedIssueSchema).optional(),
});

export interface SerializedIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

export interface SerializedError {
  code: string;
  message: string;
  reason?: string;
  details?: Record<string, unknown>;
  issues?: SerializedIssue[];
}
