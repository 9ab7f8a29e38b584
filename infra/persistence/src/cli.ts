import { stackEndpoints } from '@strata/dev-stack';
import { runMigrateCommand } from './migrate-command.ts';

// `node infra/persistence/src/cli.ts migrate <service>`: the platform tables (outbox, inbox,
// idempotency keys) of one data service's schema on the stack's MariaDB. Data services run the same
// command with their own mappings appended.
const [command, service] = process.argv.slice(2);
if (command !== 'migrate' || !service) {
  console.error('usage: node infra/persistence/src/cli.ts migrate <data-service>');
  process.exit(2);
}
const { mysql } = stackEndpoints();
process.exitCode = await runMigrateCommand({ kind: 'mysql', service, ...mysql }, { entities: [] });
