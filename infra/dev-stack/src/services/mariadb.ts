import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'mysql2/promise';
import { identify } from '../detached-process.ts';
import { stackEndpoints } from '../endpoints.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import type { StackService } from '../stack-service.ts';
import { isLoopback } from '../tcp-port.ts';
import { which } from '../which.ts';

const dir = stackPaths.serviceDir('mariadb');
const installHint =
  'start MariaDB the way your system does (service mariadb start), or install it: apt-get install -y mariadb-server';

export function mariadbService(): StackService {
  const mysql = stackEndpoints().mysql;
  return {
    name: 'mariadb',
    address: `${mysql.host}:${mysql.port}`,
    startTimeoutMs: 60_000,
    async probe() {
      const connection = await createConnection({ ...mysql, connectTimeout: 2000 });
      try {
        await connection.query('SELECT VERSION()');
      } finally {
        await connection.end();
      }
    },
    async start() {
      const daemon = which('mariadbd', ['/usr/sbin/mariadbd']) ?? which('mysqld', ['/usr/sbin/mysqld']);
      const startStopDaemon = which('start-stop-daemon', [
        '/usr/sbin/start-stop-daemon',
        '/sbin/start-stop-daemon',
      ]);
      if (!isLoopback(mysql.host))
        throw new StackError(
          `MariaDB at ${mysql.host}:${mysql.port} does not answer`,
          'start it there, or unset STRATA_MYSQL_HOST',
        );
      if (daemon === undefined)
        throw new StackError('MariaDB does not answer and no mariadbd is installed', installHint);
      if (process.getuid?.() !== 0 || startStopDaemon === undefined) {
        throw new StackError(
          'MariaDB does not answer, and starting mariadbd needs root and start-stop-daemon',
          installHint,
        );
      }
      mkdirSync(dir, { recursive: true });
      const pidFile = join(dir, 'mariadbd.pid');
      const logFile = join(dir, 'mariadb.log');
      // As this machine starts it: the server reads its port, user and data directory from /etc/mysql.
      const result = spawnSync(
        startStopDaemon,
        [
          '--start',
          '--oknodo',
          '--background',
          '--make-pidfile',
          '--pidfile',
          pidFile,
          '--output',
          logFile,
          '--exec',
          daemon,
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0)
        throw new StackError(`start-stop-daemon could not start ${daemon}: ${result.stderr}`, installHint);
      for (let attempt = 0; attempt < 50 && !existsSync(pidFile); attempt++) await sleep(100);
      return { ...identify(Number(readFileSync(pidFile, 'utf8').trim())), logFile };
    },
  };
}
