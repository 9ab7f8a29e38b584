import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const MAX_LINES = 300;

/** ADR 0012 names, in backticks, each file allowed to stay over 300 lines, with its reason. */
function namedInRoomSizes(): string {
  const adr = readdirSync(join(repositoryRoot, 'docs', 'adr')).find((name) => name.startsWith('0012-'));
  if (adr === undefined) throw new Error('docs/adr/0012-*.md (room sizes) is missing');
  return readFileSync(join(repositoryRoot, 'docs', 'adr', adr), 'utf8');
}

/** The shipped TypeScript sources git tracks: a package's `src/`, tests and benches aside. */
function shippedSources(): string[] {
  const tracked = execFileSync('git', ['ls-files', '-z', '--', '*.ts'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  });
  return tracked
    .split('\0')
    .filter((path) =>
      /^(contexts|infra|data-services|application-services|shared-kernel|tools)\/(.+\/)?src\//.test(path),
    );
}

describe('room sizes (ADR 0012)', () => {
  it('names, with a reason, every shipped source file over 300 lines', () => {
    const adr = namedInRoomSizes();
    const sources = shippedSources();
    // A filter that matched nothing would pass for the wrong reason.
    expect(sources.length).toBeGreaterThan(100);
    const oversized = sources
      .map((path) => ({
        path,
        lines: readFileSync(join(repositoryRoot, path), 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > MAX_LINES);
    const unexplained = oversized.filter(({ path }) => !adr.includes(`\`${path}\``));
    expect(unexplained).toEqual([]);
  });
});
