import { openDatabase, type Database } from '@strata/persistence';
import { accountSchema, CreateAccountTable } from './account.ts';
import { mysqlDatabase } from './scratch-database.ts';

export { dropDatabase, uniqueService } from './scratch-database.ts';

export function mysqlConfig(service: string, extra: Record<string, unknown> = {}) {
  return { ...mysqlDatabase(service), ...extra };
}

export function openAccounts(service: string): Promise<Database> {
  return openDatabase(mysqlConfig(service), { entities: [accountSchema], migrations: [CreateAccountTable] });
}
