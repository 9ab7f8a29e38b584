import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { spawnDetached } from '../detached-process.ts';
import { stackEndpoints } from '../endpoints.ts';
import type { Progress } from '../progress.ts';
import { installDebianPackages } from '../debian-package.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import type { StackService } from '../stack-service.ts';
import { ensurePortsFree } from '../port-holder.ts';
import { hostAndPort, isLoopback, isPortOpen } from '../tcp-port.ts';
import { withTimeout } from '../wait-until.ts';
import { which } from '../which.ts';

const dir = stackPaths.serviceDir('etcd');
const logFile = join(dir, 'etcd.log');
const installHint =
  'apt-get install -y etcd-server (as root; Debian/Ubuntu), or put an etcd 3.4+ binary on PATH';

export function etcdService(): StackService {
  const hosts = stackEndpoints().etcdHosts;
  const address = hosts.join(',');
  return {
    name: 'etcd',
    address,
    startTimeoutMs: 60_000,
    async probe() {
      const client = new Etcd3({ hosts, dialTimeout: 2000 });
      try {
        await withTimeout(
          (async () => {
            await client.maintenance.status();
            await client.get('strata/dev-stack/probe').string();
          })(),
          4000,
          `etcd at ${address}`,
        );
      } finally {
        client.close();
      }
    },
    async start(progress) {
      const { host, port } = hostAndPort(hosts[0] ?? '', 2379);
      if (hosts.length !== 1 || !isLoopback(host)) {
        throw new StackError(
          `etcd at ${address} does not answer, and the dev stack only starts a single member on this machine`,
          'start that etcd yourself, or unset STRATA_ETCD_HOSTS to use a local one on http://127.0.0.1:2379',
        );
      }
      const peerPort = port + 1;
      const etcd = which('etcd') ?? (await installEtcd(host, port, progress));
      await ensurePortsFree(
        host,
        [
          { port, purpose: 'client' },
          { port: peerPort, purpose: 'peer' },
        ],
        'etcd',
      );
      mkdirSync(dir, { recursive: true });
      const clientUrl = `http://${host}:${port}`;
      const peerUrl = `http://${host}:${peerPort}`;
      const started = spawnDetached(
        etcd,
        [
          '--name=strata-dev',
          `--data-dir=${join(dir, 'data')}`,
          `--listen-client-urls=${clientUrl}`,
          `--advertise-client-urls=${clientUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=strata-dev=${peerUrl}`,
          '--initial-cluster-state=new',
          // Tests write and delete keys all day; without compaction the revision history only grows.
          '--auto-compaction-mode=periodic',
          '--auto-compaction-retention=1h',
          '--logger=zap',
          '--log-outputs=stderr',
        ],
        logFile,
        dir,
      );
      return { ...started, logFile, detail: etcdVersion(etcd) };
    },
  };
}

function etcdVersion(etcd: string): string {
  const output = spawnSync(etcd, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return `etcd ${/etcd Version: (\S+)/.exec(output)?.[1] ?? 'unknown version'}`;
}

/**
 * Debian's etcd-server package. Its maintainer script may start a system etcd on the same port
 * with its data under /var/lib; the stack wants its own under .stack/etcd, so that one is stopped.
 */
async function installEtcd(host: string, port: number, progress: Progress): Promise<string> {
  mkdirSync(dir, { recursive: true });
  progress('etcd is not installed; installing Debian package etcd-server with apt-get');
  await installDebianPackages({ packages: ['etcd-server'], logDir: dir, progress, hint: installHint });
  const etcd = which('etcd');
  if (etcd === undefined)
    throw new StackError('apt-get installed etcd-server but there is still no etcd on PATH', installHint);
  if (await isPortOpen(host, port)) {
    progress('stopping the system etcd service the package started, so ours can use the port');
    for (const command of [
      ['systemctl', 'disable', '--now', 'etcd'],
      ['service', 'etcd', 'stop'],
    ]) {
      const [program, ...args] = command as [string, ...string[]];
      if (which(program) !== undefined) spawnSync(program, args, { stdio: 'ignore' });
    }
  }
  return etcd;
}
