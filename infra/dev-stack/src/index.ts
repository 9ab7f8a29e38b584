export { stackEndpoints, type StackEndpoints } from './endpoints.ts';
export { ensureDebianCommands } from './debian-commands.ts';
