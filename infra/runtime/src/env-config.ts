import type { z } from '@strata/shared-kernel';

/** Thrown when the environment does not satisfy a service's config schema; the message names every bad variable. */
export class ConfigError extends Error {
  readonly problems: { variable: string; reason: string }[];

  constructor(service: string, problems: { variable: string; reason: string }[]) {
    super(
      `${service} cannot start, its environment is invalid:\n` +
        problems.map((problem) => `  ${problem.variable}: ${problem.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads a service's configuration from environment variables. The schema's keys are the variable
 * names, so an operator reads the variable to fix straight from the error.
 */
export function loadEnvConfig<TSchema extends z.ZodObject>(
  service: string,
  schema: TSchema,
  env: Record<string, string | undefined>,
): z.output<TSchema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    service,
    parsed.error.issues.map((issue) => ({
      variable: issue.path.join('.') || '(environment)',
      reason: issue.message,
    })),
  );
}

/**
 * `loadEnvConfig` at a process's entry point: an invalid environment is written to stderr as plain
 * lines (an operator reads them before any log pipeline is up), the exit code becomes 2, and the
 * answer is undefined so the caller returns without starting anything.
 */
export function loadProcessConfig<TSchema extends z.ZodObject>(
  service: string,
  schema: TSchema,
  env: Record<string, string | undefined>,
): z.output<TSchema> | undefined {
  try {
    return loadEnvConfig(service, schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
}
