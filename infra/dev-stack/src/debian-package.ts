import { join } from 'node:path';
import type { Progress } from './progress.ts';
import { runLogged } from './run-logged.ts';
import { StackError } from './stack-error.ts';
import { which } from './which.ts';

const installTimeoutMs = 10 * 60_000;

// apt-get holds dpkg's lock: installs asked for at once (etcd and Chromium on a fresh machine)
// run one after the other, and the package lists are fetched once per process.
let queue: Promise<unknown> = Promise.resolve();
let listsFetched = false;

export interface DebianInstall {
  /** Debian package names. */
  packages: string[];
  /** Where apt-get's output goes. */
  logDir: string;
  progress: Progress;
  /** The exact command or step that installs it by hand, for when we cannot. */
  hint: string;
  /** Recommended packages too (fonts for a browser); off by default to keep installs small. */
  withRecommends?: boolean;
}

/** Installs Debian packages with apt-get as root; anywhere else says what to run instead. */
export async function installDebianPackages(install: DebianInstall): Promise<void> {
  const names = install.packages.join(' ');
  if (process.getuid?.() !== 0) {
    throw new StackError(`${names} is not installed, and installing it needs root`, install.hint);
  }
  if (which('apt-get') === undefined) {
    throw new StackError(`${names} is not installed, and this machine has no apt-get`, install.hint);
  }
  const options = {
    what: `installing ${names} with apt-get`,
    logFile: join(install.logDir, 'apt-get.log'),
    timeoutMs: installTimeoutMs,
    progress: install.progress,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  };
  const run = queue.then(async () => {
    if (!listsFetched) {
      await runLogged('apt-get', ['update'], options);
      listsFetched = true;
    }
    await runLogged(
      'apt-get',
      ['install', '-y', ...(install.withRecommends ? [] : ['--no-install-recommends']), ...install.packages],
      options,
    );
  });
  queue = run.catch(() => undefined);
  try {
    await run;
  } catch (error) {
    throw new StackError(`${(error as Error).message} (is the Debian mirror reachable?)`, install.hint);
  }
}
