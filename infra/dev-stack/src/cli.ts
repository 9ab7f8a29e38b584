import { down } from './commands/down.ts';
import { status } from './commands/status.ts';
import { traces } from './commands/traces.ts';
import { up } from './commands/up.ts';

const commands: Record<string, () => Promise<number>> = { up, status, down, traces };

const name = process.argv[2] ?? '';
const command = commands[name];
if (command === undefined) {
  console.error(`usage: node infra/dev-stack/src/cli.ts ${Object.keys(commands).join('|')}  (got '${name}')`);
  process.exit(2);
}
try {
  // Exit explicitly: client libraries may keep sockets or timers alive after their last use.
  process.exit(await command());
} catch (error) {
  console.error(
    `dev-stack: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
}
