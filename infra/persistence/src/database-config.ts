import { z } from '@strata/shared-kernel';

const serviceName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,50}$/,
    'a data service name: lower case letters, digits, "-" or "_", starting with a letter',
  );

/** Distributed mode: one MariaDB/MySQL schema per data service, `strata_<service>`. */
export const mysqlDatabaseConfig = z.object({
  kind: z.literal('mysql'),
  service: serviceName,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  user: z.string().min(1),
  password: z.string(),
  poolSize: z.number().int().min(1).max(500).default(10),
  /** Apply pending migrations when the service starts (otherwise run the migrate command). */
  migrateOnStart: z.boolean().default(false),
});

/** Embedded mode: one SQLite file (or ':memory:') through Node's built-in node:sqlite. */
export const sqliteDatabaseConfig = z.object({
  kind: z.literal('sqlite'),
  service: serviceName,
  file: z.string().min(1),
  migrateOnStart: z.boolean().default(true),
});

export const databaseConfig = z.discriminatedUnion('kind', [mysqlDatabaseConfig, sqliteDatabaseConfig]);

export type DatabaseConfig = z.infer<typeof databaseConfig>;
export type DatabaseConfigInput = z.input<typeof databaseConfig>;

export function databaseNameFor(service: string): string {
  return `strata_${service.replaceAll('-', '_')}`;
}

/** Parses configuration, failing with every offending field path at once. */
export function parseDatabaseConfig(input: unknown): DatabaseConfig {
  const parsed = databaseConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new Error(`invalid database configuration: ${problems.join('; ')}`);
}
