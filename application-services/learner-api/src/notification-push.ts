import type { Server } from 'node:http';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventFeed } from '@strata/events';
import { EventProcessor } from '@strata/events';
import { notificationContract, NotificationView, notificationViewOf } from '@strata/notification/contract';
import { PushHub, WebSocketEndpoint, type FanOut } from '@strata/push';
import { problemFromRpcError, type AccessTokenVerifier, type Logger } from '@strata/runtime';
import { RpcError, type z } from '@strata/shared-kernel';
import { randomUUID } from 'node:crypto';
import {
  LEARNER_LOGGER,
  NOTIFICATION_CLIENT,
  NOTIFICATION_PUSH_SETTINGS,
  type NotificationClient,
} from './injection-tokens.ts';
import type { LearnerRequest } from './learner-call.ts';
import { NotificationHistory } from './notification-history.ts';
import { StatelessInbox } from './stateless-inbox.ts';

export const DEFAULT_PUSH_CONSUMER_GROUP = 'learner-api.push';
export const NOTIFICATION_SOCKET_PATH = '/notifications/socket';
/** The subprotocol the notification socket speaks; a browser lists it beside `bearer.<token>`. */
export const NOTIFICATION_SOCKET_PROTOCOL = 'strata.notifications.v1';

/** How learner-api pushes notifications, as the app is built (docs/adr/0023). */
export interface NotificationPushSettings {
  /** Redis pub/sub distributed (`RedisFanOut`), `MemoryFanOut` embedded; its owner closes it. */
  fanOut: FanOut;
  /** The notification context's events: Kafka distributed, the in-process broker embedded. */
  events: EventFeed;
  /** Shared by every learner-api instance of a deployment: each NotificationCreated is fanned out once. */
  consumerGroup?: string;
  maxConnectionsPerUser?: number;
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  subscribeTimeoutMs?: number;
}

/**
 * A correlation id that every live connection holds for its life: `randomUUID()` returns a rope of
 * ~14 concatenated pieces (~450 bytes of heap, measured by `npm run bench:push`); a flat copy is ~60.
 */
function flatId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

const feedEvents = notificationContract.aggregates.NotificationFeed.events;

/**
 * Live notifications for this instance's connections: the hub (SSE and WebSocket alike), the
 * WebSocket endpoint, and the relay that takes NotificationCreated off the event feed (one
 * instance of the deployment per event, by the shared consumer group) and publishes it on the
 * recipient's fan-out channel, which reaches the instances holding that learner's connections.
 * Before the HTTP server closes, every connection is told to reconnect elsewhere.
 */
@Injectable()
export class NotificationPush
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  readonly hub: PushHub<NotificationView, LearnerRequest>;
  readonly #settings: NotificationPushSettings;
  readonly #logger: Logger;
  readonly #relay: EventProcessor<undefined>;
  #endpoint: WebSocketEndpoint<LearnerRequest> | undefined;
  #stop: (() => Promise<void>) | undefined;

  constructor(
    @Inject(NOTIFICATION_CLIENT) notifications: NotificationClient,
    @Inject(NOTIFICATION_PUSH_SETTINGS) settings: NotificationPushSettings,
    @Inject(LEARNER_LOGGER) logger: Logger,
  ) {
    this.#settings = settings;
    this.#logger = logger;
    const onError = (error: unknown, context: string) =>
      logger.warn({ err: error }, `notification push: ${context}`);
    this.hub = new PushHub({
      fanOut: settings.fanOut,
      history: new NotificationHistory(notifications),
      itemSchema: NotificationView,
      itemEvent: 'notification',
      ...(settings.maxConnectionsPerUser === undefined
        ? {}
        : { maxConnectionsPerStream: settings.maxConnectionsPerUser }),
      ...(settings.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: settings.maxBufferedBytes }),
      ...(settings.heartbeatMs === undefined ? {} : { heartbeatMs: settings.heartbeatMs }),
      onError,
    });
    const fanOut = settings.fanOut;
    this.#relay = new EventProcessor({
      consumerGroup: settings.consumerGroup ?? DEFAULT_PUSH_CONSUMER_GROUP,
      handlers: {
        NotificationCreated: async (event) => {
          const created = event.payload as z.output<typeof feedEvents.NotificationCreated.payload>;
          await fanOut.publish(created.recipientId, JSON.stringify(notificationViewOf(created)));
        },
      },
      // Publishing twice is harmless: connections drop what they hold by position.
      inbox: new StatelessInbox(),
      schema: (type, version) => {
        const event = (feedEvents as Record<string, { version: number; payload: z.ZodType }>)[type];
        return event?.version === version ? event.payload : undefined;
      },
      deadLetters: settings.events.deadLetters,
      onError,
    });
  }

  /** Serves the notification socket on the app's HTTP server, authenticated like every route. */
  attach(server: Server, verifier: AccessTokenVerifier): void {
    this.#endpoint = new WebSocketEndpoint<LearnerRequest>({
      hub: this.hub,
      path: NOTIFICATION_SOCKET_PATH,
      protocol: NOTIFICATION_SOCKET_PROTOCOL,
      authenticate: async (token) => ({ caller: await verifier.verify(token), correlationId: flatId() }),
      streamOf: (request) => request.caller.userId,
      refusal: (error) => {
        const typed =
          error instanceof RpcError
            ? error
            : new RpcError('INTERNAL', 'the WebSocket upgrade failed unexpectedly');
        if (!(error instanceof RpcError))
          this.#logger.error({ err: error }, 'notification socket upgrade failed');
        const { problem, headers } = problemFromRpcError(typed);
        return {
          status: problem.status,
          headers: { ...headers, 'content-type': 'application/problem+json' },
          body: JSON.stringify(problem),
        };
      },
      ...(this.#settings.subscribeTimeoutMs === undefined
        ? {}
        : { subscribeTimeoutMs: this.#settings.subscribeTimeoutMs }),
      onError: (error, context) => this.#logger.debug({ err: error }, `notification socket: ${context}`),
    });
    this.#endpoint.attach(server);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.#stop = await this.#settings.events.start(this.#relay);
  }

  /** Before the HTTP server closes (it would wait on open streams): clients are sent elsewhere. */
  beforeApplicationShutdown(): void {
    this.#endpoint?.close();
    this.hub.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#stop?.();
    this.#stop = undefined;
  }
}
