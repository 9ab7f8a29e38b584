import { mkdirSync } from 'node:fs';
import { installDebianPackages } from './debian-package.ts';
import { progressFor } from './progress.ts';
import { stackPaths } from './stack-paths.ts';
import { which } from './which.ts';

/**
 * Makes sure each command is on PATH, installing the Debian package that provides it where it is
 * missing, as the dev stack does for its own tools; for a benchmark or a script that needs a
 * program of the machine (wrk, nginx). `who` names the caller in progress lines and errors.
 */
export async function ensureDebianCommands(
  who: string,
  commands: readonly { command: string; debianPackage: string }[],
): Promise<void> {
  const missing = commands.filter(({ command }) => which(command) === undefined);
  if (missing.length === 0) return;
  const packages = missing.map(({ debianPackage }) => debianPackage);
  const progress = progressFor(who);
  progress(
    `${missing.map(({ command }) => command).join(', ')} not on PATH; installing ${packages.join(' ')}`,
  );
  const logDir = stackPaths.serviceDir(who);
  mkdirSync(logDir, { recursive: true });
  await installDebianPackages({
    packages,
    logDir,
    progress,
    hint: `as root: apt-get update && apt-get install -y ${packages.join(' ')}`,
  });
}
