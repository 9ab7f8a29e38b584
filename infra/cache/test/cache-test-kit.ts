import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { stackEndpoints } from '@strata/dev-stack';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import type { CacheLogger } from '../src/index.ts';

export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class CapturingLogger implements CacheLogger {
  readonly warnings: { fields: Record<string, unknown>; message: string }[] = [];

  warn(fields: object, message: string): void {
    this.warnings.push({ fields: fields as Record<string, unknown>, message });
  }
}

export function uniquePrefix(): string {
  return `strata-test:cache:${randomUUID()}:`;
}

export function redisClient(): Redis {
  return new Redis(stackEndpoints().redisUrl);
}

/** Removes every key a test wrote under its prefix. */
export async function dropPrefix(client: Redis, prefix: string): Promise<void> {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}

/**
 * Polls until `check` holds, failing with `what` after 10 s of time (it was 200 tries 10 ms apart,
 * ~2–3 s here with the Redis round trips, and CI is slower).
 */
export async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  await waitFor(what, check, { timeoutMs: 10_000, everyMs: 10 });
}

/** A localhost port nothing listens on: taken from the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port assigned');
  return address.port;
}

/** Waits until `count()` reaches `expected`, so a test acts only once a load is truly under way. */
export async function whenCalled(count: () => number, expected = 1): Promise<void> {
  await eventually(`loader called ${expected} time(s)`, async () => count() >= expected);
}
