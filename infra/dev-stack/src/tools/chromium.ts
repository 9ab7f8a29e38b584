import { mkdirSync } from 'node:fs';
import { installDebianPackages } from '../debian-package.ts';
import type { Progress } from '../progress.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import type { StackTool } from '../stack-tool.ts';
import { which } from '../which.ts';

/** Where the docs-site test (tools/docs) looks for the browser: Debian's package puts it here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const hint = 'as root: apt-get update && apt-get install -y chromium';

/** Headless Chromium for the tests that open pages in a real browser. */
export function chromiumTool(): StackTool {
  return {
    name: 'chromium',
    async ensure(progress: Progress) {
      if (which('chromium', [CHROMIUM_PATH]) === CHROMIUM_PATH) return `${CHROMIUM_PATH} (installed)`;
      progress('not installed; installing Debian package chromium with apt-get (the browser tests need it)');
      const logDir = stackPaths.serviceDir('chromium');
      mkdirSync(logDir, { recursive: true });
      await installDebianPackages({ packages: ['chromium'], logDir, progress, hint, withRecommends: true });
      if (which('chromium', [CHROMIUM_PATH]) !== CHROMIUM_PATH) {
        throw new StackError(`apt-get installed chromium but there is no ${CHROMIUM_PATH}`, hint);
      }
      return `${CHROMIUM_PATH} (installed just now)`;
    },
  };
}
