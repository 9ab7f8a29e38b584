import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { identify } from '../detached-process.ts';
import { stackEndpoints } from '../endpoints.ts';
import { StackError } from '../stack-error.ts';
import { stackPaths } from '../stack-paths.ts';
import type { StackService } from '../stack-service.ts';
import { hostAndPort, isLoopback } from '../tcp-port.ts';
import { which } from '../which.ts';

const dir = stackPaths.serviceDir('redis');

export function redisService(): StackService {
  const url = stackEndpoints().redisUrl;
  return {
    name: 'redis',
    address: url,
    startTimeoutMs: 30_000,
    async probe() {
      const redis = new Redis(url, {
        lazyConnect: true,
        connectTimeout: 2000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      // The failure reaches us through connect(); without a listener ioredis also prints it.
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        const pong = await redis.ping();
        if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
      } finally {
        redis.disconnect();
      }
    },
    async start() {
      const { host, port } = hostAndPort(url, 6379);
      const server = which('redis-server');
      if (!isLoopback(host)) {
        throw new StackError(
          `Redis at ${url} does not answer`,
          'start that Redis yourself, or unset STRATA_REDIS_URL to use 127.0.0.1:6379',
        );
      }
      if (server === undefined)
        throw new StackError(
          'Redis does not answer and redis-server is not installed',
          'apt-get install -y redis-server',
        );
      mkdirSync(dir, { recursive: true });
      const pidFile = join(dir, 'redis.pid');
      const logFile = join(dir, 'redis.log');
      // The way this machine runs it: a throwaway cache, no snapshots, no append-only file.
      const result = spawnSync(
        server,
        [
          '--daemonize',
          'yes',
          '--bind',
          host,
          '--port',
          String(port),
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--pidfile',
          pidFile,
          '--logfile',
          logFile,
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0)
        throw new StackError(
          `redis-server failed to start: ${result.stderr || result.stdout}`,
          `see ${logFile}`,
        );
      for (let attempt = 0; attempt < 50 && !existsSync(pidFile); attempt++) await sleep(100);
      if (!existsSync(pidFile))
        throw new StackError('redis-server started but wrote no pid file', `see ${logFile}`);
      return { ...identify(Number(readFileSync(pidFile, 'utf8').trim())), logFile };
    },
  };
}
