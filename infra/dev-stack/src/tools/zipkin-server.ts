import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../progress.ts';
import { runLogged } from '../run-logged.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import { which } from '../which.ts';

/** The trace viewer `npm run observe:traces` runs: Zipkin's server, one executable jar from Maven Central. */
export const ZIPKIN_VERSION = '3.5.1';
const dir = stackPaths.serviceDir('zipkin');
const jar = join(dir, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);

/**
 * The jar, fetched on first use with Maven (cached in ~/.m2 as well) so nothing is committed and
 * nobody who does not look at traces downloads it; `stack:up` does not.
 */
export async function ensureZipkinJar(progress: Progress): Promise<string> {
  if (existsSync(jar)) return jar;
  const mvn = which('mvn');
  if (mvn === undefined) {
    throw new StackError(
      'Maven (mvn) is not on PATH; it fetches Zipkin from Maven Central',
      'apt-get install -y maven',
    );
  }
  progress(`fetching Zipkin ${ZIPKIN_VERSION} from Maven Central with mvn (about 130 MB, once)`);
  await runLogged(
    mvn,
    [
      '-B',
      '-q',
      'dependency:copy',
      `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`,
      `-DoutputDirectory=${dir}`,
    ],
    { what: 'fetching the Zipkin server', logFile: join(dir, 'mvn.log'), timeoutMs: 10 * 60_000, progress },
  ).catch((error: Error) => {
    throw new StackError(
      error.message,
      'check that Maven Central (repo.maven.apache.org) is reachable, or that ~/.m2/settings.xml points at a mirror',
    );
  });
  return jar;
}
