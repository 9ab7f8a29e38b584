import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');
const stackDir = join(repoRoot, '.stack');

/** Everything the stack writes lives under the git-ignored `.stack/` of this working tree. */
export const stackPaths = {
  repoRoot,
  packageDir,
  stackDir,
  stateFile: join(stackDir, 'state.json'),
  lockFile: join(stackDir, 'stack.lock'),
  serviceDir: (service: string): string => join(stackDir, service),
  kafkaPom: join(packageDir, 'kafka', 'pom.xml'),
};

/** Paths in messages are shown relative to the repository so they can be pasted into a shell there. */
export function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}
