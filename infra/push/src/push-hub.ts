import type { z } from '@strata/shared-kernel';
import { bulkhead } from 'cockatiel';
import type { FanOut } from './fan-out.ts';
import { ConnectionCatchUp } from './connection-catch-up.ts';
import { placeOf, PushConnection } from './push-connection.ts';
import { HeartbeatSweep } from './heartbeat-sweep.ts';
import { emptyPushCounters, type PushCounters } from './push-counters.ts';
import { Delivery, type GoodbyeReason, type PushTransport } from './push-transport.ts';
import type { StreamHistory } from './stream-history.ts';
import type { StreamItem, StreamMark } from './stream-mark.ts';

export interface PushHubOptions<TItem extends StreamItem, TCaller> {
  fanOut: FanOut;
  history: StreamHistory<TItem, TCaller>;
  /** Validates an item as it comes off the fan-out (another process wrote it). */
  itemSchema: z.ZodType<TItem>;
  /** The SSE event name and WebSocket message type of an item (`notification`). */
  itemEvent: string;
  /** Connections one stream (one user) may hold on this instance; the next is refused. */
  maxConnectionsPerStream?: number;
  /** Bytes a connection may have waiting for its peer before it is cut as a slow consumer. */
  maxBufferedBytes?: number;
  /** One sweep over every connection at this interval writes heartbeats and finds dead peers. */
  heartbeatMs?: number;
  /** Items asked of storage at a time while catching a connection up. */
  catchUpLimit?: number;
  /** Live items held for a connection still catching up; past it they are read from storage instead. */
  maxPendingItems?: number;
  onError?: (error: unknown, context: string) => void;
}

/**
 * Connections catching up from storage at once after the fan-out lost messages (a Redis restart).
 * Every connection of the instance needs it at the same moment; unbounded, 10,000 connections
 * would send 10,000 reads to storage (an RPC each) in one burst. The rest wait their turn, holding
 * their live items meanwhile as any catching-up connection does.
 */
export const RESYNC_CONCURRENCY = 64;

/** Why a connection was not opened. */
export type Refusal = 'connection-limit' | 'shutting-down';

interface StreamEntry<TCaller> {
  readonly connections: Set<PushConnection<TCaller>>;
  /** The fan-out's subscription: live items published after it resolved reach the connections. */
  readonly subscribed: Promise<void>;
}

/**
 * This instance's live connections, grouped by stream (a user's notifications), each at its own
 * position. A connection goes live in the order Centrifugo's recovery taught: subscribe to the
 * fan-out first, then read from storage what the client lacks, then deliver what arrived live
 * meanwhile, de-duplicated by position; so nothing committed between the client's list (or its
 * last connection) and the live stream is lost or shown twice. A live item that skips a position
 * (a lost message) sends the connection back to storage for the gap. Storage answering that the
 * gap cannot be filled (another epoch, pruned) is passed on as `ready` with `recovered: false`.
 *
 * Memory: a connection costs one small object and its transport; one interval serves the
 * heartbeats of all; a slow peer is cut once its socket buffer passes `maxBufferedBytes`, so no
 * queue grows per connection (only the bounded `pending` while catching up). A peer that stopped
 * reading before that much piled up (the kernel's socket buffers take megabytes first) is found by
 * the heartbeat it leaves unanswered (WebSocket) and cut as `unresponsive`.
 */
export class PushHub<TItem extends StreamItem, TCaller> {
  readonly counters: PushCounters = emptyPushCounters();
  readonly #fanOut: FanOut;
  readonly #history: StreamHistory<TItem, TCaller>;
  readonly #schema: z.ZodType<TItem>;
  readonly #event: string;
  readonly #maxPerStream: number;
  readonly #maxBuffered: number;
  readonly #maxPending: number;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #catchUp: ConnectionCatchUp<TItem, TCaller>;
  readonly #streams = new Map<string, StreamEntry<TCaller>>();
  readonly #sweep: HeartbeatSweep<PushConnection<TCaller>>;
  readonly #resyncs = bulkhead(RESYNC_CONCURRENCY, Number.POSITIVE_INFINITY);
  #connections = 0;
  #closing = false;

  constructor(options: PushHubOptions<TItem, TCaller>) {
    this.#fanOut = options.fanOut;
    this.#history = options.history;
    this.#schema = options.itemSchema;
    this.#event = options.itemEvent;
    this.#maxPerStream = options.maxConnectionsPerStream ?? 5;
    this.#maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
    this.#maxPending = options.maxPendingItems ?? 100;
    this.#onError = options.onError ?? (() => undefined);
    this.#catchUp = new ConnectionCatchUp({
      history: options.history,
      catchUpLimit: options.catchUpLimit ?? 100,
      counters: this.counters,
      write: (connection, delivery) => this.#write(connection, delivery),
    });
    this.#fanOut.onMessage((stream, message) => this.#received(stream, message));
    this.#fanOut.onResubscribed(() => this.#resyncAll());
    this.#sweep = new HeartbeatSweep({
      periodMs: options.heartbeatMs ?? 20_000,
      connections: () => this.#everyConnection(),
      beat: (connection, judges) => {
        if (connection.transport.buffered > this.#maxBuffered) this.#cut(connection, 'slow-consumer');
        else if (!connection.transport.heartbeat() && judges) this.#cut(connection, 'unresponsive');
      },
      onLate: () => (this.counters.lateSweeps += 1),
    });
  }

  get connectionCount(): number {
    return this.#connections;
  }

  /** Whether a stream may open one more connection here: ask before answering the client's handshake (a refusal is counted). */
  admits(stream: string): Refusal | undefined {
    if (this.#closing) return 'shutting-down';
    const size = this.#streams.get(stream)?.connections.size ?? 0;
    if (size < this.#maxPerStream) return undefined;
    this.counters.refusedOverLimit += 1;
    return 'connection-limit';
  }

  /**
   * Registers a connection at once (so a limit checked by `admits` in the same turn holds) and
   * starts it: from `from` when the client holds something (a resume, or the list it just read),
   * else from the stream's head.
   */
  open(stream: string, caller: TCaller, transport: PushTransport, from?: StreamMark): Refusal | undefined {
    const refusal = this.admits(stream);
    if (refusal !== undefined) return refusal;
    let entry = this.#streams.get(stream);
    if (entry === undefined) {
      const subscribed = this.#fanOut.subscribe(stream);
      entry = { connections: new Set(), subscribed };
      this.#streams.set(stream, entry);
    }
    const connection = new PushConnection(stream, caller, transport);
    entry.connections.add(connection);
    this.#connections += 1;
    this.counters.opened += 1;
    transport.onClose(() => this.#remove(connection));
    void this.#start(connection, entry.subscribed, from);
    return undefined;
  }

  /** Graceful shutdown: every client is told to reconnect (elsewhere) and no new one is taken. */
  close(): void {
    this.#closing = true;
    this.#sweep.close();
    // A copy first: each cut removes its connection (and an emptied stream) from what is walked.
    for (const connection of [...this.#everyConnection()]) this.#cut(connection, 'server-shutdown');
  }

  async #start(
    connection: PushConnection<TCaller>,
    subscribed: Promise<void>,
    from?: StreamMark,
  ): Promise<void> {
    try {
      await subscribed;
      if (connection.closed) return;
      if (from === undefined) {
        const head = await this.#history.head(connection.stream, connection.caller);
        connection.epoch = head.epoch;
        connection.position = head.position;
        await this.#catchUp.run(connection, { initial: true, readStorage: false });
      } else {
        connection.epoch = from.epoch;
        connection.position = from.epoch === null ? 0 : from.position;
        await this.#catchUp.run(connection, { initial: true, readStorage: true });
      }
    } catch (error) {
      this.#failed(connection, error);
    }
  }

  #received(stream: string, message: string): void {
    const entry = this.#streams.get(stream);
    if (entry === undefined) return;
    let item: TItem;
    try {
      item = this.#schema.parse(JSON.parse(message));
    } catch (error) {
      this.counters.invalidMessages += 1;
      this.#onError(error, `a live message on stream ${stream} is not a valid item; dropped`);
      return;
    }
    // Re-serialised from the validated item: a field the schema does not know never reaches a client.
    const delivery = new Delivery(item, JSON.stringify(item));
    for (const connection of entry.connections) this.#offer(connection, delivery);
  }

  #offer(connection: PushConnection<TCaller>, delivery: Delivery): void {
    if (connection.syncing) {
      if (connection.pending.length < this.#maxPending) connection.pending.push(delivery);
      else connection.overflowed = true;
      return;
    }
    switch (placeOf(connection, delivery)) {
      case 'duplicate':
        this.counters.duplicatesDropped += 1;
        return;
      case 'next':
        if (this.#write(connection, delivery)) this.counters.delivered += 1;
        return;
      default:
        // A position skipped (a lost message) or another epoch (a reset): storage decides.
        connection.syncing = true;
        connection.pending = [delivery];
        void this.#catchUp
          .run(connection, { initial: false, readStorage: true })
          .catch((error: unknown) => this.#failed(connection, error));
    }
  }

  /** False when the connection was cut instead (its peer is too far behind). */
  #write(connection: PushConnection<TCaller>, delivery: Delivery): boolean {
    if (connection.closed) return false;
    if (connection.transport.buffered > this.#maxBuffered) {
      this.#cut(connection, 'slow-consumer');
      return false;
    }
    connection.transport.sendItem(delivery, this.#event);
    connection.epoch = delivery.item.epoch;
    connection.position = delivery.item.position;
    return true;
  }

  *#everyConnection(): Generator<PushConnection<TCaller>> {
    for (const entry of this.#streams.values()) yield* entry.connections;
  }

  /** The fan-out lost messages while reconnecting: every live connection checks storage for a gap. */
  #resyncAll(): void {
    for (const connection of this.#everyConnection()) {
      if (connection.syncing || connection.closed) continue;
      connection.syncing = true;
      this.#resyncs
        .execute(() =>
          connection.closed
            ? undefined
            : this.#catchUp.run(connection, { initial: false, readStorage: true }),
        )
        .catch((error: unknown) => this.#failed(connection, error));
    }
  }

  #failed(connection: PushConnection<TCaller>, error: unknown): void {
    this.#onError(error, `catching a connection of stream ${connection.stream} up`);
    this.#cut(connection, 'unavailable');
  }

  #cut(connection: PushConnection<TCaller>, reason: GoodbyeReason): void {
    if (connection.closed) return;
    if (reason === 'slow-consumer') this.counters.cutSlow += 1;
    if (reason === 'unavailable') this.counters.cutUnavailable += 1;
    if (reason === 'unresponsive') this.counters.cutUnresponsive += 1;
    this.#remove(connection);
    connection.transport.goodbye(reason);
  }

  #remove(connection: PushConnection<TCaller>): void {
    if (connection.closed) return;
    connection.closed = true;
    connection.pending = [];
    this.#connections -= 1;
    const entry = this.#streams.get(connection.stream);
    if (entry === undefined) return;
    entry.connections.delete(connection);
    if (entry.connections.size > 0) return;
    this.#streams.delete(connection.stream);
    this.#fanOut
      .unsubscribe(connection.stream)
      .catch((error: unknown) => this.#onError(error, `unsubscribing from stream ${connection.stream}`));
  }
}
