import { openDatabase, type DatabaseMapping } from './open-database.ts';

/**
 * The migrate command a data service's entry point exposes (`<service> migrate`): applies pending
 * migrations, reports what it applied, and exits non-zero with the reason when one fails (the
 * migrations run all-or-nothing, so a failure leaves the schema as it was).
 */
export async function runMigrateCommand(
  config: unknown,
  mapping: DatabaseMapping,
  out: (line: string) => void = console.log,
): Promise<number> {
  const database = await openDatabase({ ...(config as object), migrateOnStart: false }, mapping);
  try {
    const applied = await database.migrate();
    out(
      applied.length === 0
        ? `${database.config.service}: schema up to date`
        : `${database.config.service}: applied ${applied.join(', ')}`,
    );
    return 0;
  } catch (error) {
    out(
      `${database.config.service}: migration failed, nothing applied: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await database.close();
  }
}
