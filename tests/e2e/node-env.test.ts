import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs `script` in bash after sourcing scripts/node-env.sh, as ./strata and .ci/run do. */
function afterNodeEnv(script: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('bash', ['-c', `source scripts/node-env.sh && ${script}`], {
    cwd: ROOT,
    encoding: 'utf8',
    // The shell of a newcomer: none of npm's own variables from the npm that runs this test.
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe("the project's Node environment (scripts/node-env.sh)", () => {
  it('puts a Node of at least 22.17 first on PATH', () => {
    const { stdout, status } = afterNodeEnv('node -p process.versions.node');
    expect(status).toBe(0);
    const [major, minor] = stdout.trim().split('.').map(Number) as [number, number];
    expect(major > 22 || (major === 22 && minor >= 17)).toBe(true);
  });

  it('exports no npm configuration, so no npm command warns about one', () => {
    const { stdout, stderr, status } = afterNodeEnv('env; npm pkg get name');
    expect(status).toBe(0);
    expect(stdout.split('\n').filter((line) => /^npm_config_/i.test(line))).toEqual([]);
    expect(stdout).toContain('"strata"');
    expect(stderr).not.toMatch(/warn/i);
  });
});
