/**
 * A failure the operator can act on: what is missing and how to get it. The CLI prints both and
 * exits non-zero, so every message must stand on its own without a stack trace.
 */
export class StackError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string) {
    super(message);
    this.name = 'StackError';
    this.hint = hint;
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof StackError) return `${error.message}\n    how to fix: ${error.hint}`;
  return error instanceof Error ? error.message : String(error);
}
