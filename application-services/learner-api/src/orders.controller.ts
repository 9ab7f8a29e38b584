import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  BearerAuthGuard,
  Caller,
  etagOf,
  IdempotencyKey,
  IfMatch,
  RequestId,
  VersionETagInterceptor,
  ZodValidationPipe,
  type VerifiedCaller,
} from '@strata/runtime';
import { CancelOrderCommand } from './cancel-order.command.ts';
import { GetMyOrderQuery } from './get-my-order.query.ts';
import {
  CheckoutBody,
  MyOrdersQuery,
  OrderParams,
  type MyOrderView,
  type OrderPage,
  type OrderView,
  type PlacementView,
} from './learner-api-schemas.ts';
import { ListMyOrdersQuery } from './list-my-orders.query.ts';
import { PlaceOrderCommand } from './place-order.command.ts';
import { RequestRefundCommand } from './request-refund.command.ts';

const order = new ZodValidationPipe(OrderParams, 'params');

/** What a handler sets on the answer itself (status, Location, ETag); Fastify's reply fits it. */
interface Reply {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

/**
 * Buying, for the verified learner: every route acts for the caller and shows only their orders;
 * what they may do is the ordering domain's decision. An answered order carries its version as an
 * ETag; cancel and refund honour If-Match (412 when the order moved on since).
 */
@Controller()
@UseGuards(BearerAuthGuard)
export class OrdersController {
  readonly #commands: CommandBus;
  readonly #queries: QueryBus;

  constructor(@Inject(CommandBus) commands: CommandBus, @Inject(QueryBus) queries: QueryBus) {
    this.#commands = commands;
    this.#queries = queries;
  }

  /** 201 with Location for a new order; 200 with the order already awaiting payment for these courses. */
  @Post('checkout')
  async checkout(
    @Body(new ZodValidationPipe(CheckoutBody, 'body')) input: CheckoutBody,
    @IdempotencyKey(true) idempotencyKey: string,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<PlacementView> {
    const placement = await this.#commands.execute(
      new PlaceOrderCommand({ caller, input, idempotencyKey, correlationId }),
    );
    reply.status(placement.outcome === 'placed' ? 201 : 200);
    // Relative to /checkout, so it names the order behind the gateway's prefix as well as directly.
    reply.header('location', `orders/${placement.order.id}`);
    reply.header('etag', etagOf(placement.order.version));
    return placement;
  }

  @Get('orders')
  mine(
    @Query(new ZodValidationPipe(MyOrdersQuery, 'query')) paging: MyOrdersQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<OrderPage> {
    return this.#queries.execute(new ListMyOrdersQuery({ caller, paging, correlationId }));
  }

  @Get('orders/:orderId')
  async one(
    @Param(order) { orderId }: OrderParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<MyOrderView> {
    const answer = await this.#queries.execute(new GetMyOrderQuery({ caller, orderId, correlationId }));
    reply.header('etag', etagOf(answer.order.version));
    return answer;
  }

  @Post('orders/:orderId/cancel')
  @HttpCode(200)
  @UseInterceptors(VersionETagInterceptor)
  cancel(
    @Param(order) { orderId }: OrderParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<OrderView> {
    return this.#commands.execute(
      new CancelOrderCommand({ caller, orderId, correlationId, expectedVersion }),
    );
  }

  @Post('orders/:orderId/refund')
  @HttpCode(200)
  @UseInterceptors(VersionETagInterceptor)
  refund(
    @Param(order) { orderId }: OrderParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @IfMatch() expectedVersion: number | undefined,
  ): Promise<OrderView> {
    return this.#commands.execute(
      new RequestRefundCommand({ caller, orderId, correlationId, expectedVersion }),
    );
  }
}
