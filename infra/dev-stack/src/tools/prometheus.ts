import { installDebianPackages } from '../debian-package.ts';
import { mkdirSync } from 'node:fs';
import type { Progress } from '../progress.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import type { StackTool } from '../stack-tool.ts';
import { which } from '../which.ts';

const hint = 'as root: apt-get update && apt-get install -y prometheus';

/**
 * Debian's Prometheus and its promtool, for `npm run observe` and the tests that scrape real
 * processes and check the alert rules. Its maintainer script may start a system Prometheus on
 * 9090 where systemd runs; `npm run observe` runs its own on a port of its choosing regardless.
 */
export function prometheusTool(): StackTool {
  return {
    name: 'prometheus',
    async ensure(progress: Progress) {
      const found = which('prometheus');
      if (found !== undefined && which('promtool') !== undefined) return `${found} (installed)`;
      progress(
        'not installed; installing Debian package prometheus with apt-get (npm run observe and its tests need it)',
      );
      const logDir = stackPaths.serviceDir('prometheus');
      mkdirSync(logDir, { recursive: true });
      await installDebianPackages({ packages: ['prometheus'], logDir, progress, hint });
      const installed = which('prometheus');
      if (installed === undefined || which('promtool') === undefined) {
        throw new StackError('apt-get installed prometheus but prometheus or promtool is not on PATH', hint);
      }
      return `${installed} (installed just now)`;
    },
  };
}
