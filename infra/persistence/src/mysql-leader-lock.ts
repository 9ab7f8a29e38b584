import { createConnection, type Connection } from 'mysql2/promise';
import type { LeaderLock } from '@strata/events';
import { databaseNameFor } from './database-config.ts';

export interface MySqlLeaderLockOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The data service whose relay is elected; one lock per data service. */
  service: string;
}

/**
 * Leader election on MariaDB/MySQL `GET_LOCK()`, held by a dedicated connection: when the holder
 * dies its connection closes and the server releases the lock, so a standby's next try wins. No
 * lease to renew and no clock to trust.
 */
export class MySqlLeaderLock implements LeaderLock {
  readonly #options: MySqlLeaderLockOptions;
  readonly #lockName: string;
  #connection: Connection | undefined;

  constructor(options: MySqlLeaderLockOptions) {
    this.#options = options;
    // GET_LOCK names are server-wide; the schema name makes them per data service.
    this.#lockName = `${databaseNameFor(options.service)}.outbox-relay`;
  }

  async tryAcquire(): Promise<boolean> {
    try {
      const connection = await this.#connect();
      const [rows] = await connection.query<[{ acquired: number | null }] & never[]>(
        'select get_lock(?, 0) as acquired',
        [this.#lockName],
      );
      return rows[0]?.acquired === 1;
    } catch (error) {
      await this.#drop();
      throw error;
    }
  }

  async isHeld(): Promise<boolean> {
    if (!this.#connection) return false;
    try {
      const [rows] = await this.#connection.query<[{ mine: number | null }] & never[]>(
        'select is_used_lock(?) = connection_id() as mine',
        [this.#lockName],
      );
      return rows[0]?.mine === 1;
    } catch {
      // The connection is gone, and with it the lock.
      await this.#drop();
      return false;
    }
  }

  async release(): Promise<void> {
    if (!this.#connection) return;
    // Ending the connection releases the lock anyway; release_lock only makes it immediate, so a
    // connection that already failed is no reason to fail the stop.
    await this.#connection.query('select release_lock(?)', [this.#lockName]).catch(() => undefined);
    await this.#drop();
  }

  async #connect(): Promise<Connection> {
    if (!this.#connection) {
      const connection = await createConnection({
        host: this.#options.host,
        port: this.#options.port,
        user: this.#options.user,
        password: this.#options.password,
        enableKeepAlive: true,
      });
      connection.on('error', () => {
        if (this.#connection === connection) this.#connection = undefined;
      });
      this.#connection = connection;
    }
    return this.#connection;
  }

  async #drop(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.end().catch(() => connection.destroy());
  }
}
