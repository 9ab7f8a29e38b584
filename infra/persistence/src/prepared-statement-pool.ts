import type { Pool, PoolConnection } from 'mysql2';

type QueryCallback = (error: Error | null, result?: unknown) => void;
type Query = (sql: string, values: unknown, callback: QueryCallback) => unknown;

// Each pooled connection keeps at most this many prepared statements (LRU); the server's
// max_prepared_stmt_count is shared by every service on one MariaDB.
export const PREPARED_STATEMENTS_PER_CONNECTION = 256;

const serverBound = new WeakSet<PoolConnection>();

/**
 * mysql2's `query(sql, values)`, which Kysely calls, escapes the values into the SQL text on the
 * client. This makes a connection run every statement that has values with `execute` instead: a
 * server-side prepared statement, the values sent apart in the binary protocol, so MariaDB never
 * parses a caller's text as SQL. Statements without values keep `query` (DDL, SET, migrations).
 */
function bindOnServer(connection: PoolConnection): void {
  if (serverBound.has(connection)) return;
  serverBound.add(connection);
  const query = connection.query.bind(connection) as unknown as Query;
  const execute = connection.execute.bind(connection) as unknown as Query;
  (connection as unknown as { query: Query }).query = (sql, values, callback) =>
    Array.isArray(values) && values.length > 0
      ? execute(sql, values, callback)
      : query(sql, values, callback);
}

/** The shape of pool Kysely's MysqlDialect takes, over a mysql2 pool whose connections bind on the server. */
export function preparedStatementPool(pool: Pool) {
  return {
    getConnection(callback: (error: NodeJS.ErrnoException | null, connection: PoolConnection) => void): void {
      pool.getConnection((error, connection) => {
        if (connection !== undefined && connection !== null) bindOnServer(connection);
        callback(error, connection);
      });
    },
    end(callback: (error: NodeJS.ErrnoException | null) => void): void {
      pool.end(callback);
    },
  };
}
