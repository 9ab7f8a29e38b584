import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { refusalError, SSE_HEADERS, SseTransport } from '@strata/push';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';
import type { ServerResponse } from 'node:http';
import { CountUnreadNotificationsQuery } from './count-unread-notifications.query.ts';
import {
  MarkAllReadBody,
  MyNotificationsQuery,
  NotificationParams,
  StreamHeaders,
  type MarkedAllReadView,
  type NotificationPage,
  type NotificationView,
  type UnreadCountView,
} from './learner-api-schemas.ts';
import { ListMyNotificationsQuery } from './list-my-notifications.query.ts';
import { MarkAllNotificationsReadCommand } from './mark-all-notifications-read.command.ts';
import { MarkNotificationReadCommand } from './mark-notification-read.command.ts';
import { NotificationPush } from './notification-push.ts';

/** What the stream takes over from Fastify's reply: the Node response, once Fastify lets go of it. */
interface StreamReply {
  hijack(): unknown;
  readonly raw: ServerResponse;
}

/**
 * The verified learner's notifications: the list, the unread badge, marking read, and the live
 * stream (server-sent events; the WebSocket beside it is served by NotificationPush on the same
 * server). Every route acts for the caller and shows only their own feed.
 */
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class NotificationsController {
  readonly #commands: CommandBus;
  readonly #queries: QueryBus;
  readonly #push: NotificationPush;

  constructor(
    @Inject(CommandBus) commands: CommandBus,
    @Inject(QueryBus) queries: QueryBus,
    @Inject(NotificationPush) push: NotificationPush,
  ) {
    this.#commands = commands;
    this.#queries = queries;
    this.#push = push;
  }

  @Get()
  mine(
    @Query(new ZodValidationPipe(MyNotificationsQuery, 'query')) paging: MyNotificationsQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<NotificationPage> {
    return this.#queries.execute(new ListMyNotificationsQuery({ caller, paging, correlationId }));
  }

  @Get('unread-count')
  unread(@Caller() caller: VerifiedCaller, @RequestId() correlationId: string): Promise<UnreadCountView> {
    return this.#queries.execute(new CountUnreadNotificationsQuery({ caller, correlationId }));
  }

  @Post('read-all')
  @HttpCode(200)
  readAll(
    @Body(new ZodValidationPipe(MarkAllReadBody, 'body')) input: MarkAllReadBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<MarkedAllReadView> {
    return this.#commands.execute(new MarkAllNotificationsReadCommand({ caller, input, correlationId }));
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  read(
    @Param(new ZodValidationPipe(NotificationParams, 'params')) { notificationId }: NotificationParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<NotificationView> {
    return this.#commands.execute(new MarkNotificationReadCommand({ caller, notificationId, correlationId }));
  }

  /**
   * The live stream. Refusals (a bad Last-Event-ID, too many connections) are problems like any
   * route's; once admitted the response is the hub's until either side closes it.
   */
  @Get('stream')
  stream(
    @Headers() headers: Record<string, string | undefined>,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @Res() reply: StreamReply,
  ): void {
    const parsed = StreamHeaders.safeParse({ 'last-event-id': headers['last-event-id'] });
    if (!parsed.success) {
      throw new RpcError('INVALID_ARGUMENT', 'the Last-Event-ID header is not a position this stream sent', {
        reason: 'invalid-last-event-id',
        issues: parsed.error.issues.map((issue) => ({
          path: ['headers', 'last-event-id'],
          message: issue.message,
        })),
      });
    }
    const hub = this.#push.hub;
    const refusal = hub.admits(caller.userId);
    if (refusal !== undefined) throw refusalError(refusal);
    reply.hijack();
    // A HEAD asks for the head a GET would get, and Node sends a HEAD's head only when it ends (a
    // write has no body to carry it): answer the head and end, never hold an empty stream open.
    if (reply.raw.req.method === 'HEAD') {
      reply.raw.writeHead(200, { ...SSE_HEADERS, 'x-request-id': correlationId }).end();
      return;
    }
    const transport = new SseTransport(reply.raw, { 'x-request-id': correlationId });
    hub.open(caller.userId, { caller, correlationId }, transport, parsed.data['last-event-id']);
  }
}
