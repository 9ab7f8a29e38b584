import { RpcError } from '@strata/shared-kernel';

/**
 * A domain refusal that names the input field it is about (`details.field`, e.g.
 * `courses.2.expectedPrice`) as a refused field of the request body, so a client can point at the
 * line to fix whatever the refusal's status (400, 404, 409, 422). Use it where the command's input
 * is the request body as sent; any other error is returned unchanged.
 */
export function pointAtBodyField(error: unknown): unknown {
  const field = error instanceof RpcError ? error.details?.['field'] : undefined;
  if (
    !(error instanceof RpcError) ||
    error.code === 'INTERNAL' ||
    error.issues.length > 0 ||
    typeof field !== 'string' ||
    field === ''
  ) {
    return error;
  }
  const path = field.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  return new RpcError(error.code, error.message, {
    reason: error.reason,
    details: error.details,
    issues: [
      {
        path: ['body', ...path],
        message: error.message,
        ...(error.reason === undefined ? {} : { code: error.reason }),
      },
    ],
    cause: error,
  });
}
