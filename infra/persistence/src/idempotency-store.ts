import { pack, unpack } from 'msgpackr';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { DomainError } from '@strata/shared-kernel';

/** Mirrors the RPC server's IdempotencyScope: one logical attempt of a non-idempotent command. */
export interface IdempotencyScope {
  caller: string;
  key: string;
  method: string;
}

interface StoredRow {
  method: string;
  result: Buffer | Uint8Array;
}

/**
 * The stored answer for (caller, key) if one is live. Results are kept with msgpack so the second
 * answer is the first one exactly (dates stay dates), not a JSON approximation.
 */
export async function storedResult(
  em: SqlEntityManager,
  scope: IdempotencyScope,
  nowMs: number,
): Promise<{ found: true; value: unknown } | { found: false }> {
  const rows = await em.execute<StoredRow[]>(
    'select method, result from idempotency_keys where caller = ? and idempotency_key = ? and expires_at > ?',
    [scope.caller, scope.key, nowMs],
  );
  const row = rows[0];
  if (!row) return { found: false };
  if (row.method !== scope.method) {
    throw DomainError.invalid(
      'idempotency-key-reused-for-another-method',
      `idempotency key "${scope.key}" of ${scope.caller} was first used for ${row.method}, not ${scope.method}; use a new key per command`,
      { caller: scope.caller, key: scope.key, firstMethod: row.method, method: scope.method },
    );
  }
  return { found: true, value: unpack(Buffer.from(row.result)) };
}

export async function storeResult(
  em: SqlEntityManager,
  scope: IdempotencyScope,
  value: unknown,
  nowMs: number,
  windowMs: number,
): Promise<void> {
  // An expired row for the same key would collide with the insert; it has served its window.
  await em.execute(
    'delete from idempotency_keys where caller = ? and idempotency_key = ? and expires_at <= ?',
    [scope.caller, scope.key, nowMs],
    'run',
  );
  await em.execute(
    'insert into idempotency_keys (caller, idempotency_key, method, result, created_at, expires_at) values (?, ?, ?, ?, ?, ?)',
    [scope.caller, scope.key, scope.method, pack(value), nowMs, nowMs + windowMs],
    'run',
  );
}
